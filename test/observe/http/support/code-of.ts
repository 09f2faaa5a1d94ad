// What a throwing call throws, as one comparable string: `${code}: ${message}` (e.g. "STATUS_INSECURE: /etc/…:7:15: …"),
// or undefined when the call returns normally.
export const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return `${(e as { code?: string }).code}: ${(e as Error).message}`;
  }
  return undefined;
};
