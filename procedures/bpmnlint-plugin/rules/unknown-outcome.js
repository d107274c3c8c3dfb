'use strict';

const { mpAttribute, rule, vocabulary } = require('./mp');

/** Outcomes are a closed set: the link check, payments, the board and the monthly notice compare against these words. */
module.exports = rule('bpmn:EndEvent', (node, reporter) => {
  const outcome = mpAttribute(node, 'outcome');
  if (outcome !== undefined && !vocabulary.outcomes.includes(outcome)) {
    reporter.report(
      node.id,
      `mp:outcome ${outcome} is not one of ${vocabulary.outcomes.join(', ')}: the board, payments and notices know only these`,
    );
  }
});
