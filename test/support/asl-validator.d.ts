/** asl-validator ships no type declarations; the part the template tests call. */
declare module 'asl-validator' {
  function aslValidator(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): { isValid: boolean; errors: unknown[]; errorsText(separator?: string): string };
  export = aslValidator;
}
