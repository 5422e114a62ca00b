/** "class 3" for a class named 3, but "class 0" (not "class class 0") for one already named so. */
export function classLabel(classes: readonly string[], k: number): string {
  const name = classes[k] ?? String(k);
  return /^class\b/i.test(name) ? name : `class ${name}`;
}
