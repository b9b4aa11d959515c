import * as z from '../../platform/zod';

/**
 * What a scheduler run is asked to do, from an EventBridge rule's input, a sample event or a
 * `schedule-instances` job:
 * - `{"action":"reconcile"}`: bring every scheduled instance to the state its schedule wants now;
 * - `{"action":"stop","tag":{"key":"Environment","value":"dev"}}`: stop (or start) now the scheduled
 *   instances a schedule name, a tag or instance ids select, whatever their schedules say;
 * `dryRun: true` decides and reports but changes nothing (EC2 DryRun).
 */
export const SchedulerRequestFields = {
  action: z.enum(['reconcile', 'start', 'stop']),
  /** Only instances whose schedule tag names this schedule. */
  schedule: z.optional(z.string().check(z.minLength(1))),
  /** Only instances carrying this tag. */
  tag: z.optional(z.strictObject({ key: z.string().check(z.minLength(1), z.maxLength(128)), value: z.string().check(z.maxLength(256)) })),
  /** Only these instances. */
  instanceIds: z.optional(
    z.array(z.string().check(z.regex(/^i-[0-9a-f]{8,17}$/, 'must be an instance id (i-0123456789abcdef0)'))).check(
      z.minLength(1),
      // DescribeInstances takes up to 200 values per filter.
      z.maxLength(200),
    ),
  ),
  dryRun: z.optional(z.boolean()),
};

type RequestShape = { action: string; schedule?: string; tag?: unknown; instanceIds?: unknown };

/** Start and stop need a selector; reconcile takes none (it looks at everything). */
export function checkSelectors(request: RequestShape, context: z.core.$RefinementCtx<RequestShape>): void {
  const selectors = ['schedule', 'tag', 'instanceIds'].filter((key) => request[key as keyof RequestShape] !== undefined);
  if ((request.action === 'start' || request.action === 'stop') && selectors.length === 0) {
    context.addIssue({ code: 'custom', path: ['action'], message: `an explicit ${request.action} needs a selector: schedule, tag or instanceIds` });
  }
  if (request.action === 'reconcile' && selectors.length > 0) {
    context.addIssue({ code: 'custom', path: [selectors[0] ?? ''], message: `applies only to an explicit start or stop, not to ${request.action}` });
  }
}

export const SchedulerRequestSchema = z.strictObject(SchedulerRequestFields).check(z.superRefine(checkSelectors));
export type SchedulerRequest = z.output<typeof SchedulerRequestSchema>;
export type InstanceRequest = SchedulerRequest;
