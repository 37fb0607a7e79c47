import type { Random } from '../random/prng';

interface Upload {
  text: string;
  readyAt: number;
}

/**
 * Log files "uploaded to S3" by `request_logs`. The text is a snapshot taken at request time and the
 * file appears only after a short delay, so clients must poll `result_url` as the CLI does.
 */
export class LogUploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly random: Random) {}

  create(text: string, readyAt: number): string {
    const token = this.random.hex(32);
    this.uploads.set(token, { text, readyAt });
    return token;
  }

  /** The text once ready; undefined while still uploading or for an unknown token. */
  read(token: string, now: number): string | undefined {
    const upload = this.uploads.get(token);
    return upload && now >= upload.readyAt ? upload.text : undefined;
  }
}
