'use strict';
// Serverless plugin of the local AWS, loaded from TypeScript through tsx (a dependency of osls).
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./offline-environment.ts', __filename).LocalEnvironmentPlugin;
