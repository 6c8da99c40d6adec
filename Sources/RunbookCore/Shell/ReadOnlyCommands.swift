/// The commands `runbook audit` may re-run. Audit promises to change nothing, and a runbook is
/// text from the internet, so a command qualifies only when it is a plain list of literal
/// words (no expansion, substitution, redirection or operator: nothing a shell would evaluate)
/// and its tool and verb are on this list. Everything else is `not-audited`, whatever the
/// document says: a block marked `{audit}` does not widen it.
package enum ReadOnlyCommands {
    package static func contains(_ command: String) -> Bool {
        let shell = ShellWords(command)
        guard !shell.isQuoteOpen, !shell.continues else { return false }
        var words: [String] = []
        words.reserveCapacity(shell.tokens.count)
        for token in shell.tokens {
            guard case .word(let word) = token, word.isLiteral else { return false }
            words.append(word.text)
        }
        guard let program = words.first else { return false }
        let arguments = words.dropFirst()
        switch program {
        case "route": return arguments.allSatisfy { isFlagSet($0, of: "nev4") }
        case "netstat", "ss": return arguments.allSatisfy { isFlagSet($0, of: "rnltuaep4W") }
        case "ip": return ipShows(arguments)
        case "sysctl": return sysctlReads(arguments)
        case "cat": return !arguments.isEmpty && arguments.allSatisfy(isProcFile)
        case "ipvsadm":
            return arguments.contains(where: ipvsadmLists.contains)
                && arguments.allSatisfy { ipvsadmLists.contains($0) || ipvsadmOptions.contains($0) }
        default: return false
        }
    }

    /// `ipvsadm -L` in its spellings, and the options that only shape what it lists.
    private static let ipvsadmLists: Set<String> = ["-L", "-l", "--list", "-Ln", "-ln", "-nL", "-nl"]
    private static let ipvsadmOptions: Set<String> = ["-n", "--numeric", "--stats", "--rate", "--exact"]

    /// `-n`, `-ne`: one dash and letters of `letters` only.
    private static func isFlagSet(_ word: String, of letters: String) -> Bool {
        word.utf8.count > 1 && word.utf8.first == UInt8(ascii: "-")
            && word.utf8.dropFirst().allSatisfy { letters.utf8.contains($0) }
    }

    /// Options of `ip` that only shape its output (not `-b`, which runs a file of commands, nor
    /// `-n NS`, `-force`).
    private static let ipOptions: Set<String> = [
        "-4", "-6", "-j", "-json", "-d", "-details", "-s", "-stats", "-statistics", "-br", "-brief", "-c", "-color",
        "--color", "-o", "-oneline", "-p", "-pretty", "-h", "-human",
    ]
    /// Objects `ip` reads with `show`, as `ip` matches them (any prefix of the name).
    private static let ipObjects: Set<String> = [
        "r", "ro", "rou", "rout", "route", "a", "ad", "add", "addr", "addre", "addres", "address", "l", "li", "lin",
        "link", "ru", "rul", "rule", "n", "ne", "nei", "neig", "neigh", "neighbor", "neighbour",
    ]
    private static let ipShowVerbs: Set<String> = ["show", "sho", "sh", "s", "list", "lst", "ls", "l"]

    /// `ip [OPTIONS] OBJECT [show|list ...]`, and `ip route get ADDRESS`.
    private static func ipShows(_ arguments: ArraySlice<String>) -> Bool {
        var rest = arguments
        while let option = rest.first, option.hasPrefix("-") {
            guard ipOptions.contains(option) else { return false }
            rest = rest.dropFirst()
        }
        guard let object = rest.popFirst(), ipObjects.contains(object) else { return false }
        guard let verb = rest.first else { return true }
        return ipShowVerbs.contains(verb) || (verb == "get" && object.hasPrefix("r") && !object.hasPrefix("ru"))
    }

    /// `sysctl [-n|-e|-a|-N|-q ...] [KEY ...]`: reading options and keys that name an entry
    /// under /proc/sys (no `=`, no `..`); never `-w`, `-p`, `-f`, `--system`, `--load`.
    private static func sysctlReads(_ arguments: ArraySlice<String>) -> Bool {
        !arguments.isEmpty
            && arguments.allSatisfy { word in
                if word.hasPrefix("-") {
                    return ["--all", "--values", "--names", "--binary", "--ignore"].contains(word)
                        || isFlagSet(word, of: "neaANXqb")
                }
                guard !word.contains("=") else { return false }
                if case .success = SysctlKey.canonical(word) { return true }
                return false
            }
    }

    /// A file under /proc/sys or /proc/net, with no `.` or `..` component.
    private static func isProcFile(_ path: String) -> Bool {
        guard path.hasPrefix("/proc/sys/") || path.hasPrefix("/proc/net/") else { return false }
        return !path.split(separator: "/").contains { $0 == "." || $0 == ".." }
    }
}
