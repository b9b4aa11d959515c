import { WorkerError } from '../../../handlers/platform/errors';
import { CliError, MissingGroupIdError, PurgeInProgressError, QueueNotFoundError } from '../../../cli/queue/errors';

describe('the queue CLI errors', () => {
  it('are typed errors of the service, under its one error base', () => {
    const error = new QueueNotFoundError('work', 'local');

    expect(error).toBeInstanceOf(WorkerError);
    expect(error).toBeInstanceOf(CliError);
    expect(error.name).toBe('QueueNotFoundError');
  });

  it('keep their exit code: 2 for a command that cannot run as given, 1 for one that ran and failed', () => {
    expect(new MissingGroupIdError('work.fifo').exitCode).toBe(2);
    expect(new PurgeInProgressError('work').exitCode).toBe(1);
  });
});
