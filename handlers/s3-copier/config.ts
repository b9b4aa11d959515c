import { z } from 'zod';
import { bucketName, loadConfig } from '../shared/config';

export const config = loadConfig(z.object({ DEST_BUCKET: bucketName }));
