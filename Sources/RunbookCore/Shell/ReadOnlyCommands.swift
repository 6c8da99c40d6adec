/// Commands `runbook audit` may re-run because they only read: `route -n`, `ip route`,
/// `ip addr`, `ip -j ...`, `sysctl KEY`, `cat /proc/...`.
package enum ReadOnlyCommands {
    package static func contains(_ command: String) -> Bool {
        let shell = ShellWords(command)
        let words = shell.words
        guard shell.tokens.count == words.count, let program = words.first else { return false }
        let arguments = words.dropFirst()
        switch program {
        case "route":
            return arguments.allSatisfy { ["-n", "-4", "-v", "-e"].contains($0) }
        case "ip":
            if arguments.first == "-j" || arguments.first == "-json" {
                return arguments.dropFirst().first.map {
                    ["r", "ro", "route", "a", "addr", "address", "l", "link", "rule"].contains($0)
                } ?? false
            }
            var rest = arguments
            if rest.first == "-4" { rest = rest.dropFirst() }
            guard let object = rest.first,
                ["r", "ro", "rou", "route", "a", "addr", "address", "l", "link"].contains(object)
            else { return false }
            return rest.dropFirst().first.map { ["show", "list", "ls", "s", "sh"].contains($0) } ?? true
        case "sysctl":
            return !arguments.isEmpty
                && arguments.allSatisfy {
                    !$0.contains("=") && !["-w", "-p", "--system", "--write", "--load"].contains($0)
                }
        case "cat":
            return !arguments.isEmpty && arguments.allSatisfy { $0.hasPrefix("/proc/") }
        default:
            return false
        }
    }
}
