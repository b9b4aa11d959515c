import { z } from 'zod';

/** A notification as workers publish it and subscribers receive it. */
export const NotificationSchema = z.object({
  title: z.string().trim().min(1).max(200),
  message: z.string().min(1).max(100_000),
  severity: z.enum(['info', 'warning', 'critical']).default('info'),
  /** Which worker or system raised it. */
  source: z.string().min(1).max(200).default('messaging-workers'),
  /** Machine-readable details for subscribers that want them. */
  details: z.record(z.string(), z.unknown()).optional(),
  occurredAt: z.iso.datetime().optional(),
});

export type Notification = z.output<typeof NotificationSchema>;
export type NotificationInput = z.input<typeof NotificationSchema>;
