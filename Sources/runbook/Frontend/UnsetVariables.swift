import Foundation
import RunbookCore

extension Output {
    /// The names of runbook's own environment: its local commands inherit them, so they are set.
    static var environmentNames: Set<String> {
        Set(ProcessInfo.processInfo.environment.keys)
    }

    /// Values for the variables nothing sets, typed on the terminal, by name. Without a
    /// terminal there is nobody to ask, and a command run with an empty value does something
    /// else than the doc says: each is an error at its line, and nothing runs (exit 2).
    static func askForValues(of unset: [RunbookLint.UnsetVariable], file: String) throws -> [String: String] {
        guard Platform.isTerminal(.input) else {
            report(unset.map { $0.diagnostic(.error, file: file) })
            throw ExitCodeError.parse
        }
        var values: [String: String] = [:]
        for variable in unset {
            standardError("value for $\(variable.name) (\(file):\(variable.line)): ")
            guard let answer = readLine() else {
                standardError("\n")
                report([variable.diagnostic(.error, file: file)])
                throw ExitCodeError.parse
            }
            values[variable.name] = answer
        }
        return values
    }
}
