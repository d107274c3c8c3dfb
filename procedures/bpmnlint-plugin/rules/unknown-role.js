'use strict';

const { mpAttribute, rule, vocabulary, words } = require('./mp');

/** Roles are the directory's (common/graph.ts ROLES): a misspelt role is a step nobody may act on. */
module.exports = rule('bpmn:UserTask', (node, reporter) => {
  for (const word of words(mpAttribute(node, 'roles'))) {
    if (!vocabulary.roles.includes(word)) {
      reporter.report(node.id, `unknown role ${word} (roles: ${vocabulary.roles.join(', ')})`);
    }
  }
});
