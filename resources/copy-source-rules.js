'use strict';
// s3Copier's S3 trigger filter rules (serverless.yml `rules`): a prefix and a suffix rule for the
// copySourcePrefix/copySourceSuffix parameters that are set, none for those left '' (a rule with an
// empty value is no filter to ask S3 for), so the rules cannot simply be written with the parameters.
module.exports = async ({ resolveVariable }) => {
  const rules = [];
  const prefix = await resolveVariable('param:copySourcePrefix');
  const suffix = await resolveVariable('param:copySourceSuffix');
  if (prefix) rules.push({ prefix });
  if (suffix) rules.push({ suffix });
  // No rules at all (not an empty list, which the framework would turn into an empty filter).
  return rules.length > 0 ? rules : null;
};
