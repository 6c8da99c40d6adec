import Foundation
import RunbookCore

/// One long-lived `/bin/sh` on a target, fed the steps' commands one by one.
///
/// A process per step costs about a millisecond of fork and exec; a runbook of a thousand
/// steps would spend its time there. Instead each command is written to the shell's stdin in a
/// frame, and the shell prints a sentinel with the exit status on stdout and on stderr after
/// it, so that both streams can be cut apart without closing them.
final class ShellSession {
    struct Outcome {
        var stdout: String
        var stderr: String
        var status: Int32
        /// The step's directory did not exist on the target; the command ran where the
        /// session was.
        var missingDirectory: Bool
    }

    enum Failure: Error, CustomStringConvertible {
        case start(String)
        case timedOut(seconds: Double)
        case sessionEnded(stdout: String, stderr: String)

        var description: String {
            switch self {
            case .start(let reason): reason
            case .timedOut(let seconds): "timed out after \(seconds) s; its processes were killed"
            case .sessionEnded(_, let stderr):
                "the shell ended (a syntax error, or exit/exec in the command)"
                    + (stderr.isEmpty ? "" : ": \(stderr.split(separator: "\n").last ?? "")")
                    + "; a new shell is started for the next step"
            }
        }
    }

    let target: Target
    private let process: ChildProcess
    private var pendingOutput = OutputBuffer()
    private var pendingErrors = OutputBuffer()
    private(set) var isAlive = true
    private var counter = 0
    /// `ssh ... -- DESTINATION`, for a second command over the same connection.
    private var sshCommand: [String] = []
    /// The process group of the remote shell, which the step's processes share (a
    /// non-interactive shell has no job control): what an interruption kills on the target.
    private var remoteGroup: String?

    /// `sshConfig` is passed to ssh as `-F FILE` (keys, known hosts, jump hosts).
    /// `timeout`: how long an ssh target may take to answer the first command (at most 30 s).
    init(
        target: Target, environment: [String: String], sshConfig: String? = nil, timeout: Double = 30
    )
        throws(Failure)
    {
        self.target = target
        let argv: [String]
        switch target {
        case .local: argv = ["/bin/sh"]
        case .netns(let name): argv = ["ip", "netns", "exec", name, "/bin/sh"]
        case .ssh(let user, let host, let port):
            sshCommand =
                [
                    "ssh", "-T", "-o", "BatchMode=yes", "-o", "ControlMaster=auto", "-o", "ControlPersist=no",
                    "-o", "ControlPath=\(try ShellSession.controlDirectory())/%C",
                ]
                + (sshConfig.map { ["-F", $0] } ?? []) + (port.map { ["-p", String($0)] } ?? [])
                + ["--", "\(user.map { "\($0)@" } ?? "")\(host)"]
            argv = sshCommand + ["/bin/sh"]
        }
        // The runbook's variables are not given to the process started here (`ip netns exec`,
        // `ssh`): they are exported in the shell below, so that `LD_PRELOAD` or `PATH` from a
        // document never reaches a program runbook itself runs.
        do {
            process = try ChildProcess(argv)
        } catch {
            throw .start(error.description)
        }
        if case .ssh = target {
            // Field 5 of /proc/PID/stat is the process group. The first command over the
            // connection also says whether there is one.
            // A target that never answers (a port that accepts and says nothing) fails here,
            // rather than leaving a dead session for the step to misreport.
            do {
                let group = try run("cut -d ' ' -f 5 /proc/$$/stat", cwd: nil, timeout: min(timeout, 30)).stdout
                    .filter(\.isNumber)
                remoteGroup = group.isEmpty ? nil : group
            } catch .sessionEnded(_, let stderr) {
                let reason = stderr.split(separator: "\n").last.map(String.init) ?? "ssh ended"
                throw .start("ssh to \(target) failed: \(reason)")
            } catch .timedOut(let seconds) {
                throw .start("ssh to \(target) did not answer within \(seconds.formatted()) s")
            } catch {
                throw error
            }
        }
        if !environment.isEmpty {
            let exports = environment.keys.sorted().map { "export \($0)=\(ShellQuote.quote(environment[$0]!))\n" }
                .joined()
            _ = process.write(Array(exports.utf8))
        }
    }

    /// The directory of this process's ssh ControlMaster sockets: made once per runbook
    /// process (mkdtemp, 0700) and removed when it exits, and the masters end with their
    /// sessions (ControlPersist=no). A directory shared across runs let a run meant for one
    /// machine reuse a master that another run, ssh config or namespace had opened to another.
    private static func controlDirectory() throws(Failure) -> String {
        switch controlDirectoryMade {
        case .success(let path): return path
        case .failure(let failure): throw .start("cannot create a directory for ssh's sockets: \(failure)")
        }
    }

    private static let controlDirectoryMade = Result { () throws(ChildProcess.SpawnFailure) -> String in
        try ChildProcess.privateDirectory(prefix: "runbook-ssh-")
    }

    deinit {
        end()
    }

    /// Kills the remote shell's process group (the step's processes with it) through the
    /// connection's ControlMaster, before the connection itself is cut: killing only the local
    /// ssh would leave the remote command running.
    private func killRemoteCommand() {
        guard let remoteGroup, let killer = try? ChildProcess(sshCommand + ["kill -KILL -- -\(remoteGroup)"]) else {
            return
        }
        _ = killer.finish(timeout: 5, interruptible: false)
    }

    func end() {
        guard isAlive else { return }
        isAlive = false
        process.end()
    }

    /// Runs one command in `cwd` (when given), with no stdin, and returns what it printed.
    func run(_ command: String, cwd: String?, timeout: Double) throws(Failure) -> Outcome {
        guard isAlive else { throw .sessionEnded(stdout: "", stderr: "") }
        counter += 1
        let marker = "__RUNBOOK_\(process.pid)_\(counter)"
        var frame = "__rb_cwd=0\n"
        if let cwd { frame += "cd -- \(ShellQuote.path(cwd)) 2>/dev/null || __rb_cwd=1\n" }
        frame += "{ \(command)\n} </dev/null\n"
        frame += "printf '\\n%s %d %d\\n' '\(marker)' \"$?\" \"$__rb_cwd\"\n"
        frame += "printf '\\n%s\\n' '\(marker)' >&2\n"
        // A local shell's group is killed from the signal handler at once; an ssh session is
        // left to `collect`, which kills the remote command first, over the same connection.
        let slot = sshCommand.isEmpty ? Interruption.register(group: process.pid) : nil
        defer { Interruption.release(slot) }
        guard process.write(Array(frame.utf8)) else {
            let (stdout, stderr) = drain()
            end()
            throw .sessionEnded(stdout: stdout, stderr: stderr)
        }
        return try collect(marker: Array("\n\(marker)".utf8), timeout: timeout)
    }

    /// Reads both streams until each shows the marker, or the deadline passes.
    private func collect(marker: [UInt8], timeout: Double) throws(Failure) -> Outcome {
        let finish = ChildProcess.monotonicSeconds() + timeout
        var stdoutDone: (body: [UInt8], status: Int32, missing: Bool)? = nil
        var stderrDone: [UInt8]? = nil
        while stdoutDone == nil || stderrDone == nil {
            if stdoutDone == nil, let (body, line) = pendingOutput.take(through: marker) {
                let fields = line.split(separator: " ")
                stdoutDone = (body, Int32(fields.first ?? "") ?? -1, fields.last == "1")
                continue
            }
            if stderrDone == nil, let (body, _) = pendingErrors.take(through: marker) {
                stderrDone = body
                continue
            }
            let remaining = finish - ChildProcess.monotonicSeconds()
            if remaining <= 0 {
                end()
                throw .timedOut(seconds: timeout)
            }
            let reading = process.read(waiting: Int(min(remaining * 1000, 1000)) + 1)
            if Interruption.signal != nil, !sshCommand.isEmpty {
                killRemoteCommand()
                let (stdout, stderr) = drain()
                end()
                throw .sessionEnded(stdout: stdout, stderr: stderr)
            }
            pendingOutput.append(reading.output)
            pendingErrors.append(reading.errors)
            if reading.ended {
                let (stdout, stderr) = drain()
                end()
                throw .sessionEnded(stdout: stdout, stderr: stderr)
            }
        }
        return Outcome(
            stdout: String(decoding: stdoutDone!.body, as: UTF8.self),
            stderr: String(decoding: stderrDone!, as: UTF8.self),
            status: stdoutDone!.status, missingDirectory: stdoutDone!.missing)
    }

    private func drain() -> (String, String) {
        (pendingOutput.drain(), pendingErrors.drain())
    }

}
