'use strict';

const vocabulary = require('../vocabulary.json');

/**
 * An mp attribute of a moddle element, trimmed; undefined when absent or blank. The compiler parses
 * with the mp descriptor (the value is a property); a modeler or the bpmnlint CLI without it keeps
 * the attribute in `$attrs` under the prefix the file declares (`mp:` in ours).
 */
function mpAttribute(node, name) {
  const own = node[name];
  const value = typeof own === 'string' ? own : node.$attrs && node.$attrs[`mp:${name}`];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function words(value) {
  return [...new Set((value || '').split(/\s+/).filter((w) => w !== ''))];
}

/** A rule that checks the elements of one BPMN type. */
function rule(type, check) {
  return () => ({
    check(node, reporter) {
      if (typeof node.$instanceOf === 'function' && node.$instanceOf(type)) check(node, reporter);
    },
  });
}

module.exports = { mpAttribute, rule, vocabulary, words };
