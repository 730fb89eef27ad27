// The spec corpus fixture `yaml_unclosed_flow_bracket`: the same diagnostics as the codegen CLI.
errspec_macros::catalog!("../spec/tests/fixtures/invalid/yaml_unclosed_flow_bracket.yaml");

fn main() {}
