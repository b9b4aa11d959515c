import { type InstanceSummary, planSchedule } from '../../../handlers/domain/scheduling/schedule';

const instance = (instanceId: string, state: string): InstanceSummary => ({ instanceId, state });

describe('planSchedule for a start run', () => {
  it('targets only the stopped instances', () => {
    const instances = [instance('i-stopped', 'stopped'), instance('i-running', 'running'), instance('i-stopped-2', 'stopped')];

    const plan = planSchedule('start', instances);

    expect(plan.targets).toEqual(['i-stopped', 'i-stopped-2']);
  });

  it('skips running and pending instances as already started', () => {
    const instances = [instance('i-running', 'running'), instance('i-pending', 'pending')];

    const plan = planSchedule('start', instances);

    expect(plan.skipped).toEqual([
      { instanceId: 'i-running', reason: 'already running' },
      { instanceId: 'i-pending', reason: 'already pending' },
    ]);
  });

  it('skips stopping, shutting-down and terminated instances as impossible to start', () => {
    const instances = [instance('i-stopping', 'stopping'), instance('i-shutting', 'shutting-down'), instance('i-gone', 'terminated')];

    const plan = planSchedule('start', instances);

    expect(plan).toEqual({
      action: 'start',
      targets: [],
      skipped: [
        { instanceId: 'i-stopping', reason: 'cannot start from state stopping' },
        { instanceId: 'i-shutting', reason: 'cannot start from state shutting-down' },
        { instanceId: 'i-gone', reason: 'cannot start from state terminated' },
      ],
    });
  });
});

describe('planSchedule for a stop run', () => {
  it('targets only the running instances', () => {
    const instances = [instance('i-running', 'running'), instance('i-stopped', 'stopped'), instance('i-running-2', 'running')];

    const plan = planSchedule('stop', instances);

    expect(plan.targets).toEqual(['i-running', 'i-running-2']);
  });

  it('skips stopped and stopping instances as already stopped', () => {
    const instances = [instance('i-stopped', 'stopped'), instance('i-stopping', 'stopping')];

    const plan = planSchedule('stop', instances);

    expect(plan.skipped).toEqual([
      { instanceId: 'i-stopped', reason: 'already stopped' },
      { instanceId: 'i-stopping', reason: 'already stopping' },
    ]);
  });

  it('skips pending and terminated instances as impossible to stop', () => {
    const instances = [instance('i-pending', 'pending'), instance('i-gone', 'terminated')];

    const plan = planSchedule('stop', instances);

    expect(plan).toEqual({
      action: 'stop',
      targets: [],
      skipped: [
        { instanceId: 'i-pending', reason: 'cannot stop from state pending' },
        { instanceId: 'i-gone', reason: 'cannot stop from state terminated' },
      ],
    });
  });
});

describe('planSchedule repeated', () => {
  it('targets nothing when a start run is retried after the instances began starting', () => {
    const first = planSchedule('start', [instance('i-a', 'stopped'), instance('i-b', 'running')]);
    const afterFirstRun = [instance('i-a', 'pending'), instance('i-b', 'running')];

    const retry = planSchedule('start', afterFirstRun);

    expect(first.targets).toEqual(['i-a']);
    expect(retry.targets).toEqual([]);
  });

  it('targets nothing when a stop run is retried after the instances began stopping', () => {
    const first = planSchedule('stop', [instance('i-a', 'running'), instance('i-b', 'stopped')]);
    const afterFirstRun = [instance('i-a', 'stopping'), instance('i-b', 'stopped')];

    const retry = planSchedule('stop', afterFirstRun);

    expect(first.targets).toEqual(['i-a']);
    expect(retry.targets).toEqual([]);
  });

  it('plans nothing for no instances', () => {
    const plan = planSchedule('stop', []);

    expect(plan).toEqual({ action: 'stop', targets: [], skipped: [] });
  });
});
