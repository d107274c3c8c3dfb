'use strict';

const { mpAttribute, rule, vocabulary } = require('./mp');

module.exports = rule('bpmn:UserTask', (node, reporter) => {
  const kind = mpAttribute(node, 'kind');
  if (kind !== undefined && !vocabulary.kinds.includes(kind)) {
    reporter.report(node.id, `mp:kind ${kind} is not one of ${vocabulary.kinds.join(', ')}`);
  }
});
