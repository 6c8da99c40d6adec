import RunbookCore

/// Reads and changes what typed steps touch on a target: /proc/sys values, the main IPv4
/// routing table and config files.
protocol TargetState {
    /// Many values at once (keys that do not exist are left out): in one thread for a
    /// namespace, in one command over SSH, never a process per key.
    func readSysctls(_ keys: [String]) throws -> [String: String]
    /// Reads the value and writes `value` only when it differs (compared field by field), then
    /// reads it back, in one access: one thread for a namespace, one command over SSH.
    /// Returns the values before and after.
    func setSysctl(_ key: String, _ value: String) throws -> (before: String, after: String)
    /// The names in a directory; nil when it does not exist.
    func listDirectory(_ path: String) throws -> [String]?
    func routes() throws -> [RouteEntry]
    func addresses() throws -> [InterfaceAddress]
    /// The IPVS table; nil when the kernel has no IPVS (`/proc/net/ip_vs` exists once the
    /// module is loaded).
    func ipvsTable() throws -> [IPVSService]?
    /// The file's text; nil when it does not exist.
    func readFile(_ path: String) throws -> String?
    /// Replaces the file atomically (temporary file, fsync, rename), keeping mode and owner.
    func replaceFile(_ path: String, with text: String) throws
    func removeFile(_ path: String) throws
    /// The address this machine has as the target sees it, for targets reached over a network
    /// (the lock-out guard); nil for local and netns targets.
    func peerAddress() throws -> String?
    /// The target's own address of that connection (what removing an address may cut); nil
    /// for local and netns targets.
    func connectionAddress() throws -> String?
}

/// The largest sysctl config file runbook reads: real ones are a few kilobytes, and a file
/// that is not one (a link to /dev/zero) must not be read until memory runs out.
let configFileLimit = 1 << 20

struct TargetStateFailure: Error, CustomStringConvertible {
    var description: String
}

/// A local or netns target, read and written in-process: no process is spawned. For a
/// namespace each access runs on a thread that has joined it (see `NetworkNamespace`); files
/// are the host's file system, which a namespace shares.
struct DirectState: TargetState {
    let target: Target

    /// Runs `body` where this target's /proc/sys and /proc/thread-self/net are visible.
    private func within<T>(_ body: () throws -> T) throws -> T {
        switch target {
        case .local: return try body()
        case .netns(let name): return try NetworkNamespace.run(in: name, body)
        case .ssh: throw TargetStateFailure(description: "\(target) has no direct kernel access")
        }
    }

    func readSysctls(_ keys: [String]) throws -> [String: String] {
        try within {
            var values: [String: String] = [:]
            for key in keys {
                if let bytes = try? FileIO.read(SysctlKey.procPath(key)) {
                    values[key] = String(decoding: bytes, as: UTF8.self).trimmingTrailingNewlines
                }
            }
            return values
        }
    }

    func setSysctl(_ key: String, _ value: String) throws -> (before: String, after: String) {
        let path = SysctlKey.procPath(key)
        return try within {
            guard let bytes = try FileIO.read(path) else {
                throw TargetStateFailure(description: target.missingKeyReason(key))
            }
            let before = String(decoding: bytes, as: UTF8.self).trimmingTrailingNewlines
            if SysctlConfigFile.sameValue(before, value) { return (before, before) }
            try FileIO.overwrite(path, with: value + "\n")
            let after = try FileIO.read(path).map { String(decoding: $0, as: UTF8.self).trimmingTrailingNewlines } ?? ""
            return (before, after)
        }
    }

    func listDirectory(_ path: String) throws -> [String]? {
        FileIO.names(in: path)
    }

    /// From /proc/thread-self/net/route: per thread, so it follows the namespace the thread
    /// joined (/proc/net is the process's).
    func routes() throws -> [RouteEntry] {
        guard let bytes = try within({ try FileIO.read("/proc/thread-self/net/route") }) else {
            throw TargetStateFailure(description: "no /proc/thread-self/net/route on \(target)")
        }
        return ProcRoutes.parse(String(decoding: bytes, as: UTF8.self))
    }

    func addresses() throws -> [InterfaceAddress] {
        try within { try InterfaceAddresses.read() }
    }

    func ipvsTable() throws -> [IPVSService]? {
        try within { try FileIO.read("/proc/thread-self/net/ip_vs", limit: configFileLimit) }.map {
            ProcIPVS.parse(String(decoding: $0, as: UTF8.self))
        }
    }

    func readFile(_ path: String) throws -> String? {
        try FileIO.read(path, limit: configFileLimit, regularOnly: true).map { String(decoding: $0, as: UTF8.self) }
    }

    func replaceFile(_ path: String, with text: String) throws {
        try FileIO.replace(path, with: text)
    }

    func peerAddress() throws -> String? { nil }

    func connectionAddress() throws -> String? { nil }

    func removeFile(_ path: String) throws {
        try FileIO.remove(path)
    }
}

/// An SSH target, through its shell session: one small command per access on the connection
/// already open, never a new connection.
struct RemoteState: TargetState {
    let session: ShellSession
    let timeout: Double

    private func run(_ command: String) throws -> String {
        let outcome = try session.run(command, cwd: nil, timeout: timeout)
        guard outcome.status == 0 else {
            throw TargetStateFailure(
                description:
                    "\(command) on \(session.target) exited \(outcome.status): \(outcome.stderr.trimmingSpacesString)")
        }
        return outcome.stdout
    }

    func readSysctls(_ keys: [String]) throws -> [String: String] {
        // One command: each value framed by its index, so that values with newlines survive.
        let paths = keys.map { ShellQuote.quote(SysctlKey.procPath($0)) }.joined(separator: " ")
        let output = try run(
            "i=0; for p in \(paths); do if v=$(cat \"$p\" 2>/dev/null); then printf '\\036%d\\037%s' \"$i\" \"$v\"; fi; i=$((i+1)); done"
        )
        var values: [String: String] = [:]
        for record in output.split(separator: "\u{1E}") {
            let parts = record.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, let index = Int(parts[0]), index < keys.count {
                values[keys[index]] = String(parts[1])
            }
        }
        return values
    }

    /// One command: print the value, write when the fields differ, print it again.
    func setSysctl(_ key: String, _ value: String) throws -> (before: String, after: String) {
        let path = ShellQuote.quote(SysctlKey.procPath(key)), wanted = ShellQuote.quote(value)
        let output = try run(
            """
            b=$(cat \(path)) || exit 1; printf '%s\\036' "$b"
            if [ "$(printf '%s' "$b" | tr -s ' \\t' '  ')" != "$(printf '%s' \(wanted) | tr -s ' \\t' '  ')" ]; then printf '%s\\n' \(wanted) > \(path) || exit 1; fi
            cat \(path)
            """)
        let parts = output.split(separator: "\u{1E}", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw TargetStateFailure(description: "cannot read \(key) on \(session.target)") }
        return (String(parts[0]), String(parts[1]).trimmingTrailingNewlines)
    }

    func listDirectory(_ path: String) throws -> [String]? {
        let quoted = ShellQuote.quote(path)
        let output = try run("if [ -d \(quoted) ]; then printf x; ls -1A \(quoted); fi")
        return output.isEmpty ? nil : output.dropFirst().split(separator: "\n").map(String.init)
    }

    func routes() throws -> [RouteEntry] {
        ProcRoutes.parse(try run("cat /proc/net/route"))
    }

    func addresses() throws -> [InterfaceAddress] {
        AddressTable.parse(oneLine: try run("ip -o -4 addr show"))
    }

    func ipvsTable() throws -> [IPVSService]? {
        let output = try run("if [ -e /proc/net/ip_vs ]; then printf x; cat /proc/net/ip_vs; fi")
        return output.isEmpty ? nil : ProcIPVS.parse(String(output.dropFirst()))
    }

    func readFile(_ path: String) throws -> String? {
        let quoted = ShellQuote.quote(path)
        let output = try run(
            "if [ -f \(quoted) ]; then printf x; head -c \(configFileLimit + 1) \(quoted); elif [ -e \(quoted) ]; then printf n; fi"
        )
        if output == "n" { throw TargetStateFailure(description: "cannot read \(path): not a regular file") }
        guard output.utf8.count <= configFileLimit + 1 else {
            throw TargetStateFailure(description: "cannot read \(path): larger than \(configFileLimit) bytes")
        }
        return output.isEmpty ? nil : String(output.dropFirst())
    }

    /// The same discipline as `FileIO.replace`, in sh: a temporary file beside the target,
    /// the old file's mode and owner, sync, rename.
    func replaceFile(_ path: String, with text: String) throws {
        let quoted = ShellQuote.quote(path)
        let delimiter = "RUNBOOK_EOF_\(text.utf8.count)_\(UInt32.random(in: 0...UInt32.max))"
        let body = text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
        _ = try run(
            """
            f=\(quoted); d=$(dirname "$f"); mkdir -p "$d" && t=$(mktemp "$d/.runbook.XXXXXX") && cat > "$t" <<'\(delimiter)'
            \(body)\(delimiter)
            if [ -e "$f" ]; then chmod --reference="$f" "$t" && chown --reference="$f" "$t"; else chmod 644 "$t"; fi && sync "$t" && mv -f "$t" "$f"
            """)
    }

    func removeFile(_ path: String) throws {
        _ = try run("rm -f \(ShellQuote.quote(path))")
    }

    /// The first field of `$SSH_CONNECTION` ("client port server port").
    func peerAddress() throws -> String? {
        try connectionField(1)
    }

    /// The third field of `$SSH_CONNECTION`.
    func connectionAddress() throws -> String? {
        try connectionField(3)
    }

    private func connectionField(_ number: Int) throws -> String? {
        let field = try run("printf '%s' \"$SSH_CONNECTION\" | cut -d ' ' -f \(number)").trimmingTrailingNewlines
        return IPv4.parse(field) == nil ? nil : field
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
