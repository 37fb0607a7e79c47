/**
 * Warns once per crossing: when the runway drops below the threshold, once; again only after it has
 * climbed back above it (by 10 %, so a runway hovering at the line does not warn on every poll).
 */
export class LowCreditWatch {
  private armed = true;

  /** True when the person should be warned now. */
  update(runwayHours: number | undefined, thresholdHours: number): boolean {
    if (runwayHours === undefined || !(thresholdHours > 0)) return false;
    if (runwayHours < thresholdHours) {
      if (!this.armed) return false;
      this.armed = false;
      return true;
    }
    if (runwayHours >= thresholdHours * 1.1) this.armed = true;
    return false;
  }
}

/** Vast's billing page, where credit is added. */
export const VAST_BILLING_URL = 'https://cloud.vast.ai/billing/';
