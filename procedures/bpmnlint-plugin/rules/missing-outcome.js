'use strict';

const { mpAttribute, rule } = require('./mp');

/** An end event says how the matter ends: the board, payments and notices read it. */
module.exports = rule('bpmn:EndEvent', (node, reporter) => {
  if (mpAttribute(node, 'outcome') === undefined) {
    reporter.report(node.id, 'an end event needs mp:outcome (e.g. completed, rejected)');
  }
});
