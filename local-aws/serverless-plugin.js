'use strict';
// The project's serverless plugin (local-aws/plugin.ts), loaded from TypeScript through tsx.
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./plugin.ts', __filename).LocalAwsPlugin;
