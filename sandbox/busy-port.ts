/**
 * For the command-line starts (`npm run sandbox`, `npm start`): a port another process holds is one clear line and
 * exit code 1, not a stack trace.
 */

/** The line to print when `error` is a listen on a port in use; undefined for any other error. */
export function busyPortLine(error: unknown, port: number, variable: string): string | undefined {
  if ((error as NodeJS.ErrnoException | null)?.code !== 'EADDRINUSE') return undefined;
  return `Port ${port} is in use: set ${variable}=… or stop the other process.`;
}

/** A `catch` handler for a start on `port` (set by `variable`): a busy port ends the process with one line; anything else is thrown on. */
export function exitOnBusyPort(port: number, variable: string): (error: unknown) => never {
  return (error) => {
    const line = busyPortLine(error, port, variable);
    if (!line) throw error;
    console.error(line);
    process.exit(1);
  };
}
