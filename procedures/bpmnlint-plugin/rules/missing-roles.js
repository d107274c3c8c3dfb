'use strict';

const { mpAttribute, rule, words } = require('./mp');

/** Nobody may act on a step without roles: the matter would wait on it forever. */
module.exports = rule('bpmn:UserTask', (node, reporter) => {
  if (words(mpAttribute(node, 'roles')).length === 0) {
    reporter.report(node.id, 'a step needs mp:roles: who may act on it');
  }
});
