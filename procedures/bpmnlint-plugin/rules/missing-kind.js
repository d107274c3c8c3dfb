'use strict';

const { mpAttribute, rule, vocabulary } = require('./mp');

/** A step's kind says what its people do (a form, a review, a meeting, …) and what it puts in FEEL's reach. */
module.exports = rule('bpmn:UserTask', (node, reporter) => {
  if (mpAttribute(node, 'kind') === undefined) {
    reporter.report(node.id, `a step needs mp:kind (${vocabulary.kinds.join(', ')})`);
  }
});
