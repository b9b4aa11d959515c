'use strict';
// The project's template plugin (deploy/tidy-template.ts), loaded from TypeScript through tsx.
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./tidy-template.ts', __filename).TidyTemplatePlugin;
