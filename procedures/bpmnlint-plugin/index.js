'use strict';

/**
 * The project's own bpmnlint rules, and `recommended`: bpmnlint's recommended rules plus these.
 * `.bpmnlintrc` (so `npm run lint:bpmn` and any bpmnlint-aware modeler) and the compiler
 * (procedures/compiler/lint.ts) use this one config, so an author sees the same findings everywhere.
 * A rule's name here is the compiler's rule name (procedures/compiler/problems.ts).
 */
module.exports = {
  configs: {
    recommended: {
      extends: 'bpmnlint:recommended',
      rules: {
        'missing-outcome': 'error',
        'unknown-outcome': 'error',
        'missing-kind': 'error',
        'unknown-kind': 'error',
        'missing-roles': 'error',
        'unknown-role': 'error',
        // A step with several incoming flows starts on each arrival (exclusive merge semantics, as BPMN
        // says). bpmnlint warns because a reader might take it for a join; the compiler's token game
        // (rule unsafe-parallel) proves for every file that two tokens never reach one step at once,
        // so the ambiguity the rule guards against cannot occur in a file that compiles.
        'bpmnlint/fake-join': 'off',
        // The project's naming rule is the compiler's missing-name: steps, service tasks and the process
        // need a Chinese name and an English mp:nameEn; events and gateways may go unnamed (the pages label
        // them by their step). label-required would ask for one name on every event and gateway instead.
        'bpmnlint/label-required': 'off',
        // The compiler's missing-diagram says it, for the file or for each element; a modeler always draws.
        'bpmnlint/no-bpmndi': 'off',
      },
    },
  },
  rules: {
    'missing-outcome': './rules/missing-outcome',
    'unknown-outcome': './rules/unknown-outcome',
    'missing-kind': './rules/missing-kind',
    'unknown-kind': './rules/unknown-kind',
    'missing-roles': './rules/missing-roles',
    'unknown-role': './rules/unknown-role',
  },
};
