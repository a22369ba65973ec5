/**
 * A refusal the person can fix (a taken slug, a gone token), whichever door asked: the console
 * shows it on the form, tied to `fieldErrors` when given; the CLI prints it and exits 1.
 */
export class AdminError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = "AdminError";
  }
}
