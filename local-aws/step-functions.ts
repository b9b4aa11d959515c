import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { invocationLog } from './invocation-log';
import type { LambdaInvoker } from './lambda-invoker';
import { log } from './log';

// aws-local-stepfunctions uses Promise.withResolvers (Node 22+); the local AWS may run on Node 20.
const withResolvers = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
(Promise as unknown as { withResolvers?: unknown }).withResolvers ??= withResolvers;

/** A state machine of the stage's template, its definition resolved to the local ARNs. */
export interface LocalStateMachine {
  logicalId: string;
  name: string;
  arn: string;
  roleArn: string;
  definition: string;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One event of an execution's history, as GetExecutionHistory returns it. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

export interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
}

/** An error of the Step Functions API: its type (`__type`) and message, answered with HTTP 400. */
export class StepFunctionsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'StepFunctionsApiError';
  }
}

/** What this module (and the template tests) read of a state. */
export interface AslState {
  Type: string;
  Resource?: string;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string; Next: string }[];
  MaxConcurrency?: number;
  Iterator?: { States: Record<string, AslState> };
  ItemProcessor?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
}

/** Every state of a definition, nested ones (Map, Parallel) included, by name. */
export function statesOf(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...statesOf(state.ItemProcessor?.States ?? state.Iterator?.States ?? {}),
    ...(state.Branches ?? []).flatMap((branch) => statesOf(branch.States)),
  ]);
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` -> its name and qualifier. */
export function lambdaTarget(resource: string): { functionName: string; qualifier?: string } | undefined {
  const match = /^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:([^:]+)(?::([^:]+))?$/.exec(resource);
  if (!match?.[1]) return undefined;
  return { functionName: match[1], ...(match[2] ? { qualifier: match[2] } : {}) };
}

const seconds = (ms: number) => ms / 1000;
const NAME = /^[\w-]{1,80}$/;

/**
 * The stage's state machines, run locally: aws-local-stepfunctions (an ASL interpreter in Node)
 * executes the definition of the compiled template; each Lambda Task invokes the function through
 * serverless-offline's Lambda API, as Step Functions invokes it. `waitMs`, when set (local stages,
 * the stage parameter localStateWaitMs), makes every Wait state and Retry interval last that long.
 * Executions are kept in memory (the last 200) with their histories, for the Step Functions API
 * of the local endpoint (StartExecution, DescribeExecution, ListExecutions, GetExecutionHistory)
 * and the console. Emits `changed` with an execution when it starts or ends.
 */
export class LocalStepFunctions extends EventEmitter {
  private readonly executions = new Map<string, Execution>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<void> }>();
  private readonly compiled = new Map<string, InstanceType<typeof import('aws-local-stepfunctions').StateMachine>>();

  constructor(
    readonly stateMachines: readonly LocalStateMachine[],
    private readonly invoker: LambdaInvoker,
    private readonly options: { region: string; accountId: string; waitMs?: number; functionTimeouts: Record<string, number> },
  ) {
    super();
  }

  private machine(arn: unknown): LocalStateMachine {
    const machine = this.stateMachines.find((m) => m.arn === arn);
    if (!machine) throw new StepFunctionsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
    return machine;
  }

  private execution(arn: unknown): Execution {
    const execution = this.executions.get(String(arn));
    if (!execution) throw new StepFunctionsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
    return execution;
  }

  /** StartExecution: runs in the background; the answer comes at once, as on AWS. */
  async startExecution(request: { stateMachineArn?: unknown; name?: unknown; input?: unknown }): Promise<{ executionArn: string; startDate: number }> {
    const machine = this.machine(request.stateMachineArn);
    const name = request.name === undefined ? randomUUID() : String(request.name);
    if (!NAME.test(name)) throw new StepFunctionsApiError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = request.input === undefined ? '{}' : String(request.input);
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch (error) {
      throw new StepFunctionsApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(error as Error).message}'`);
    }
    const executionArn = `arn:aws:states:${this.options.region}:${this.options.accountId}:execution:${machine.name}:${name}`;
    if (this.executions.has(executionArn)) throw new StepFunctionsApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    const execution: Execution = { executionArn, stateMachineArn: machine.arn, name, status: 'RUNNING', startDate: seconds(Date.now()), input: inputText, events: [] };
    this.executions.set(executionArn, execution);
    while (this.executions.size > 200) {
      const oldest = [...this.executions.values()].find((e) => e.status !== 'RUNNING');
      if (!oldest) break;
      this.executions.delete(oldest.executionArn);
    }
    await this.run(machine, execution, input);
    this.emit('changed', execution);
    return { executionArn, startDate: execution.startDate };
  }

  private async run(machine: LocalStateMachine, execution: Execution, input: unknown): Promise<void> {
    const { StateMachine } = await import('aws-local-stepfunctions');
    const definition = JSON.parse(machine.definition) as { States: Record<string, AslState> };
    const states = statesOf(definition.States);
    const taskResourceLocalHandlers = Object.fromEntries(
      states.filter(([, state]) => state.Type === 'Task' && state.Resource).map(([name, state]) => [name, (payload: unknown) => this.invokeTask(String(state.Resource), payload)]),
    );
    const { waitMs } = this.options;
    const overrides = {
      taskResourceLocalHandlers,
      ...(waitMs === undefined
        ? {}
        : {
            waitTimeOverrides: Object.fromEntries(states.filter(([, s]) => s.Type === 'Wait').map(([name]) => [name, waitMs])),
            retryIntervalOverrides: Object.fromEntries(states.filter(([, s]) => s.Retry).map(([name]) => [name, waitMs])),
          }),
    };
    // Constructing validates the definition (asl-validator, ~0.3 s): once per state machine.
    const stateMachine = this.compiled.get(machine.arn) ?? new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    this.compiled.set(machine.arn, stateMachine);
    const run = stateMachine.run(input as never, {
      overrides: overrides as never,
      noThrowOnAbort: true,
      context: {
        Execution: { Id: execution.executionArn, Name: execution.name, RoleArn: machine.roleArn },
        StateMachine: { Id: machine.arn, Name: machine.name },
      } as never,
    });
    const recorded = this.record(execution, run.eventLogs as unknown as AsyncGenerator<Record<string, unknown>>);
    const done = run.result.then(
      (output) => {
        if (execution.status === 'RUNNING') Object.assign(execution, { status: 'SUCCEEDED', output: JSON.stringify(output ?? null) });
      },
      (error: Error & { cause?: { name?: string; message?: string } }) => {
        const timedOut = error.name === 'ExecutionTimeoutError';
        Object.assign(execution, {
          status: timedOut ? 'TIMED_OUT' : 'FAILED',
          error: timedOut ? 'States.Timeout' : (error.cause?.name ?? error.name),
          cause: error.cause?.message ?? error.message,
        });
      },
    );
    const finished = Promise.all([done, recorded]).then(() => {
      execution.stopDate ??= seconds(Date.now());
      this.running.delete(execution.executionArn);
      log.info('State machine execution ended', { executionArn: execution.executionArn, status: execution.status, error: execution.error });
      this.emit('changed', execution);
    });
    this.running.set(execution.executionArn, { abort: run.abort, done: finished });
  }

  /** Turns the interpreter's event log into a history as GetExecutionHistory words it. */
  private async record(execution: Execution, events: AsyncGenerator<Record<string, unknown>>): Promise<void> {
    for await (const event of events) {
      const id = execution.events.length + 1;
      const base = { id, previousEventId: id - 1, timestamp: seconds(Number(event.timestamp ?? Date.now())) };
      const state = event.state as { name: string; type: string; input: unknown; output?: unknown } | undefined;
      const json = (value: unknown) => JSON.stringify(value ?? null);
      switch (event.type) {
        case 'ExecutionStarted':
          execution.events.push({ ...base, type: 'ExecutionStarted', executionStartedEventDetails: { input: json(event.input), roleArn: '' } });
          break;
        case 'ExecutionSucceeded':
          execution.events.push({ ...base, type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: json(event.output) } });
          break;
        case 'ExecutionFailed':
          execution.events.push({ ...base, type: 'ExecutionFailed', executionFailedEventDetails: { error: event.Error, cause: String(event.Cause ?? '') } });
          break;
        case 'ExecutionTimeout':
          execution.events.push({ ...base, type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } });
          break;
        case 'ExecutionAborted':
          execution.events.push({ ...base, type: 'ExecutionAborted', executionAbortedEventDetails: {} });
          break;
        case 'StateEntered':
          execution.events.push({ ...base, type: `${state?.type}StateEntered`, stateEnteredEventDetails: { name: state?.name, input: json(state?.input) } });
          break;
        case 'StateExited':
          execution.events.push({ ...base, type: `${state?.type}StateExited`, stateExitedEventDetails: { name: state?.name, output: json(state?.output) } });
          break;
        case 'StateFailed':
          execution.events.push({ ...base, type: state?.type === 'Task' ? 'TaskFailed' : `${state?.type}StateFailed`, taskFailedEventDetails: { name: state?.name, error: event.Error, cause: String(event.Cause ?? '') } });
          break;
        case 'StateRetried':
          execution.events.push({ ...base, type: 'StateRetried', stateRetriedEventDetails: { name: state?.name, attempt: (event.retry as { attempt?: number } | undefined)?.attempt } });
          break;
        case 'StateCaught':
          execution.events.push({ ...base, type: 'StateCaught', stateCaughtEventDetails: { name: state?.name } });
          break;
        case 'MapIterationStarted':
        case 'MapIterationSucceeded':
        case 'MapIterationFailed': {
          const parent = event.parentState as { name?: string } | undefined;
          const key = `${String(event.type).charAt(0).toLowerCase()}${String(event.type).slice(1)}EventDetails`;
          execution.events.push({ ...base, type: String(event.type), [key]: { name: parent?.name, index: event.index, ...(event.Error ? { error: event.Error, cause: event.Cause } : {}) } });
          break;
        }
        default:
          execution.events.push({ ...base, type: String(event.type) });
      }
    }
  }

  /**
   * A Lambda Task: invokes the function as Step Functions does (synchronously, the state's input
   * as the event). A function error becomes the task's error: its errorType is the error name
   * Retry and Catch match, its payload the cause, as on AWS.
   */
  private async invokeTask(resource: string, payload: unknown): Promise<unknown> {
    const target = lambdaTarget(resource);
    if (!target) throw Object.assign(new Error(`Only Lambda function ARNs run locally, not ${resource}`), { name: 'States.TaskFailed' });
    // Invoked as the deployed state machine invokes it: through its qualifier (the `live` alias),
    // which the local Lambda API resolves like Lambda (an unknown one is ResourceNotFound).
    const { functionName, qualifier } = target;
    const invokedAs = qualifier && qualifier !== '$LATEST' ? `${functionName}:${qualifier}` : functionName;
    const eventJson = JSON.stringify(payload);
    const startedAt = Date.now();
    const timeoutMs = ((this.options.functionTimeouts[functionName] ?? 60) + 5) * 1000;
    const fail = (name: string, cause: string): never => {
      invocationLog.add({ functionName: invokedAs, event: payload, eventJson, trigger: 'other', startedAt, durationMs: Date.now() - startedAt, outcome: { ok: false, reason: `${name}: ${cause.slice(0, 500)}` } });
      throw Object.assign(new Error(cause), { name });
    };
    let result;
    try {
      result = await this.invoker.invoke(invokedAs, eventJson, timeoutMs);
    } catch (error) {
      return fail('Lambda.SdkClientException', (error as Error).message);
    }
    if (result.statusCode === 404) return fail('Lambda.ResourceNotFoundException', result.payload);
    if (result.statusCode >= 300) return fail('Lambda.ServiceException', result.payload);
    let parsed: unknown = null;
    try {
      parsed = result.payload.trim() === '' ? null : JSON.parse(result.payload);
    } catch {
      parsed = result.payload;
    }
    const errorType = (parsed as { errorType?: unknown } | null)?.errorType;
    if (result.functionError || typeof errorType === 'string') return fail(typeof errorType === 'string' ? errorType : 'Lambda.Unknown', result.payload);
    invocationLog.add({ functionName: invokedAs, event: payload, eventJson, trigger: 'other', startedAt, durationMs: Date.now() - startedAt, outcome: { ok: true, payload: parsed } });
    return parsed;
  }

  describeExecution(request: { executionArn?: unknown }): Omit<Execution, 'events'> {
    const { executionArn, stateMachineArn, name, status, startDate, stopDate, input, output, error, cause } = this.execution(request.executionArn);
    return { executionArn, stateMachineArn, name, status, startDate, stopDate, input, output, error, cause };
  }

  listExecutions(request: { stateMachineArn?: unknown; statusFilter?: unknown; maxResults?: unknown }): { executions: Omit<Execution, 'events' | 'input' | 'output' | 'error' | 'cause'>[] } {
    const machine = this.machine(request.stateMachineArn);
    const max = Number(request.maxResults ?? 0) || 100;
    const executions = [...this.executions.values()]
      .filter((e) => e.stateMachineArn === machine.arn && (request.statusFilter === undefined || e.status === request.statusFilter))
      .reverse()
      .slice(0, max)
      .map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) => ({ executionArn, stateMachineArn, name, status, startDate, ...(stopDate ? { stopDate } : {}) }));
    return { executions };
  }

  getExecutionHistory(request: { executionArn?: unknown; reverseOrder?: unknown; maxResults?: unknown; includeExecutionData?: unknown }): { events: HistoryEvent[] } {
    const events = [...this.execution(request.executionArn).events];
    if (request.reverseOrder === true) events.reverse();
    const max = Number(request.maxResults ?? 0) || 1000;
    return { events: events.slice(0, max) };
  }

  listStateMachines(): { stateMachines: { stateMachineArn: string; name: string; type: string; creationDate: number }[] } {
    return { stateMachines: this.stateMachines.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: 'STANDARD', creationDate: 0 })) };
  }

  describeStateMachine(request: { stateMachineArn?: unknown }): Record<string, unknown> {
    const machine = this.machine(request.stateMachineArn);
    return { stateMachineArn: machine.arn, name: machine.name, status: 'ACTIVE', definition: machine.definition, roleArn: machine.roleArn, type: 'STANDARD', creationDate: 0 };
  }

  /** All executions, newest first (for the console). */
  list(): Execution[] {
    return [...this.executions.values()].reverse();
  }

  /** Resolves when the execution has ended (tests, the bench). */
  async settled(executionArn: string): Promise<Execution> {
    await this.running.get(executionArn)?.done;
    return this.execution(executionArn);
  }

  /** The JSON 1.0 API (`X-Amz-Target: AWSStepFunctions.<Operation>`). */
  async handle(operation: string, body: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(body);
      case 'DescribeExecution':
        return this.describeExecution(body);
      case 'ListExecutions':
        return this.listExecutions(body);
      case 'GetExecutionHistory':
        return this.getExecutionHistory(body);
      case 'ListStateMachines':
        return this.listStateMachines();
      case 'DescribeStateMachine':
        return this.describeStateMachine(body);
      default:
        throw new StepFunctionsApiError('UnknownOperationException', `The local Step Functions does not serve ${operation}`);
    }
  }

  async stop(): Promise<void> {
    for (const { abort, done } of this.running.values()) {
      abort();
      await done.catch(() => undefined);
    }
  }
}
