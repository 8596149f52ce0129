/** Reading Prometheus text exposition in tests. */

/** The value of the first sample `name{…}` whose labels include every given one, or undefined. */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const open = line.indexOf('{');
    const close = line.lastIndexOf('}');
    const labelText = open >= 0 && open < line.indexOf(' ') ? line.slice(open + 1, close) : '';
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(line.slice((close >= 0 ? close : line.indexOf(' ')) + 1).trim());
  }
  return undefined;
}
