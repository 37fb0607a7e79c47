/** One of issue 13's figures beside its goal: "figure | goal | met?". */
export interface GoalLine {
  figure: string;
  value: string;
  goal: string;
  /** Undefined when the figure could not be measured. */
  met?: boolean;
}

export function goalsReport(lines: GoalLine[]): string {
  const width = Math.max(...lines.map((line) => line.figure.length));
  return [
    'Figures and goals (issue 13)',
    '----------------------------',
    ...lines.map((line) => `${line.met === undefined ? '  ?  ' : line.met ? ' ok  ' : 'MISS '} ${line.figure.padEnd(width)}  ${line.value}   [goal: ${line.goal}]`),
  ].join('\n');
}
