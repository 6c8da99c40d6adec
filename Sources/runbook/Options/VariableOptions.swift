import ArgumentParser
import RunbookCore

/// `--set NAME=VALUE`, as every command that reads a runbook for a run takes it: the values are
/// known when the runbook is read, so they type its steps the same way in parse, plan, export,
/// check and exec.
struct VariableOptions: ParsableArguments {
    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Give a variable this value, over the front matter's vars: (steps such as sysctl -w KEY=$NAME are read with it; commands get it as an environment variable).",
            valueName: "name=value"))
    var assignments: [String] = []

    func validate() throws {
        _ = try overrides()
    }

    /// The values by name, the last `--set` of a name winning; a malformed one is a usage error.
    func overrides() throws -> [String: String] {
        var values: [String: String] = [:]
        for assignment in assignments {
            if let problem = FrontMatter.Variable.set(assignment, in: &values) { throw ValidationError(problem) }
        }
        return values
    }
}
