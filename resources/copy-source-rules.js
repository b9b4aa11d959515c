'use strict';
// s3Copier's S3 trigger filter rules (serverless.yml `rules`): a prefix and a suffix rule for the
// copySourcePrefix/copySourceSuffix parameters that are set; none for those left ''. S3 refuses an
// empty rule value, so the rules cannot simply be written with the parameters in them.
module.exports = async ({ resolveVariable }) => {
  const rules = [];
  const prefix = await resolveVariable('param:copySourcePrefix');
  const suffix = await resolveVariable('param:copySourceSuffix');
  if (prefix) rules.push({ prefix });
  if (suffix) rules.push({ suffix });
  return rules;
};
