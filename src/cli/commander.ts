// commander, for the verbs: cli/ owns the command-line library; commands/ define their flags with
// it through this file.
export { Argument, Command, Option } from 'commander';
