import Foundation
import RunbookCore

/// What `runbook check --target ...` asks of the machines, reading only: that each target can
/// be reached, that the programs its steps run are installed there (one `command -v` round trip
/// per target), and that the sysctl keys its steps set exist in its kernel.
public enum Preflight {
    public static func findings(
        _ runbook: Runbook, targets: TargetMap, sshConfig: String?, timeout: Double = 30
    ) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        let sessions = SessionPool(environment: [:], sshConfig: sshConfig)
        defer { sessions.endAll() }
        for (role, roleTargets) in targets.roles.sorted(by: { $0.key < $1.key }) {
            let steps = runbook.steps.filter { $0.host == role }
            guard let first = steps.first else { continue }
            var programs: [(name: String, line: Int)] = []
            for step in steps {
                for name in Self.programs(of: step) where !programs.contains(where: { $0.name == name }) {
                    programs.append((name, step.line))
                }
            }
            let keys = steps.compactMap { step -> (String, Int)? in
                if case .sysctl(let setting) = step.action { (setting.key, step.line) } else { nil }
            }
            for target in roleTargets {
                if let reason = target.unavailability {
                    findings.append(.error(runbook.file, first.line, "\(role): \(target) cannot be used: \(reason)"))
                    continue
                }
                do {
                    let state = try sessions.state(for: target, timeout: timeout)
                    let names = programs.map { ShellQuote.quote($0.name) }.joined(separator: " ")
                    let missing = try sessions.run(
                        "for p in \(names); do command -v -- \"$p\" >/dev/null 2>&1 || printf '%s\\n' \"$p\"; done",
                        on: target, timeout: timeout
                    ).stdout.split(separator: "\n").map(String.init)
                    for program in programs where missing.contains(program.name) {
                        findings.append(
                            .error(
                                runbook.file, program.line, "'\(program.name)' is not installed on \(target) (\(role))")
                        )
                    }
                    let present = try state.readSysctls(keys.map(\.0))
                    for (key, line) in keys where present[key] == nil {
                        findings.append(.warning(runbook.file, line, target.missingKeyReason(key)))
                    }
                } catch {
                    findings.append(.error(runbook.file, first.line, "\(role): \(target) cannot be reached: \(error)"))
                }
            }
        }
        return findings
    }

    /// The programs a step needs on its target: a command's first word (after `sudo` and
    /// assignments; shell builtins and keywords need nothing), `ip` for route and address
    /// steps, `ipvsadm` for IPVS steps.
    static func programs(of step: Step) -> [String] {
        switch step.action {
        case .route, .address: return ["ip"]
        case .ipvs: return ["ipvsadm"]
        case .sysctl: return []
        case .command(let command):
            guard let program = ShellWords(command.text).commandWords.first, !builtins.contains(program),
                !program.hasPrefix("./")
            else { return [] }
            return [program]
        }
    }

    private static let builtins: Set<String> = [
        "cd", "export", "echo", "printf", "set", "unset", "source", ".", "alias", "read", "test", "[", "[[", "true",
        "false", "exit", "return", "local", "declare", "eval", "exec", "for", "if", "while", "until", "case", "do",
        "done", "then", "fi", "esac", "{", "}", "(", ")", "time", "command", "type", "ulimit", "umask", "wait", "trap",
        "shift", "break", "continue", "let", "hash", "kill", "pwd", "readonly", "!",
    ]
}

/// The sysctl keys of this machine's kernel, for `runbook check` without targets. A key of an
/// interface (`net.ipv4.conf.eth1.rp_filter`) is looked up as `default`'s: the runbook's
/// interfaces need not exist here.
public enum LocalKernel {
    public static func hasSysctl(_ key: String) -> Bool {
        var parts = key.split(separator: ".").map(String.init)
        if parts.count == 5, parts[0] == "net", ["ipv4", "ipv6"].contains(parts[1]),
            ["conf", "neigh"].contains(parts[2])
        {
            parts[3] = "default"
        }
        // Asked of the file system, not by reading: some keys are write-only (net.ipv4.route.flush).
        return FileManager.default.fileExists(atPath: SysctlKey.procPath(parts.joined(separator: ".")))
    }
}
