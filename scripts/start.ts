import { runUntilInterrupted, startDevStack } from './lib/dev-stack';

startDevStack()
  .then(runUntilInterrupted)
  .catch((error: unknown) => {
    process.stderr.write(`start: ${(error as Error).message}\n`);
    process.exit(1);
  });
