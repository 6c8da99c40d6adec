import Foundation
import RunbookCore

/// `runbook exec --rollback JOURNAL`: puts back, in reverse order, what the journaled steps
/// changed: sysctl values, persisted files, routes. Each action checks the current state first,
/// so a rollback run twice changes nothing the second time.
public final class Rollback {
    public struct Action: Sendable {
        public var step: Int
        public var target: Target
        public var verdict: StepOutcome.Verdict
        public var message: String
    }

    /// An undo command that failed on its target.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The journal's undo records, last first.
    public let undos: [(step: Int, target: Target, undo: Undo)]
    private let timeout: Double
    private let sessions: SessionPool

    public init(journal path: String, timeout: Double = 300, sshConfig: String? = nil) throws(UsageProblem) {
        sessions = SessionPool(environment: [:], sshConfig: sshConfig)
        let records = try JournalRecord.read(path)
        var undos: [(Int, Target, Undo)] = []
        for record in records {
            guard let step = record.step, let undo = record.undo else { continue }
            guard let text = record.target, let target = Target.parse(text) else {
                throw UsageProblem(
                    .error(path, record.line, "step \(step) has an undo record for no target runbook can read"))
            }
            undos.append((step, target, undo))
        }
        self.undos = undos.reversed()
        self.timeout = timeout
    }

    /// What each undo will do, for the confirmation and --dry-run.
    public func describe() -> String {
        undos.map { "  \(pad($0.step)) \($0.target): \(Self.describe($0.undo))\n" }.joined()
    }

    @discardableResult
    public func run(progress: (Action) -> Void = { _ in }) -> [Action] {
        var actions: [Action] = []
        let earliest = Self.earliestUndos(undos)
        for (position, (step, target, undo)) in undos.enumerated() {
            var action = Action(step: step, target: target, verdict: .unchanged, message: "")
            do {
                action.message = try apply(Self.keeping(undo, on: target, at: position, earliest), on: target)
                action.verdict = action.message.isEmpty ? .unchanged : .changed
                if action.message.isEmpty { action.message = "already as before" }
            } catch {
                action.verdict = .failed
                action.message = "\(error)"
            }
            progress(action)
            actions.append(action)
        }
        sessions.endAll()
        return actions
    }

    /// What an undo puts back, by target: a key's value, a file, routes or addresses.
    private static func subjects(of undo: Undo, on target: Target) -> (value: String?, file: String?, entries: [String])
    {
        switch undo {
        case .sysctl(let key, let value, let file, _):
            return (value == nil ? nil : "\(target) \(key)", file.map { "\(target) \($0)" }, [])
        case .route(let restore, let remove):
            return (nil, nil, (restore + remove).map { "\(target) \(OutputComparison.RouteKey($0))" })
        case .address(let restore, let remove):
            return (nil, nil, (restore + remove).map { "\(target) \(addressKey($0))" })
        }
    }

    /// For each subject, the position (in `undos`, last first) of the undo of the earliest step
    /// that changed it: only that one knows what was there before the run. Undoing every
    /// change in turn would leave the same end state once, but a second rollback would flip a
    /// key changed by two steps to its intermediate value and back.
    private static func earliestUndos(_ undos: [(step: Int, target: Target, undo: Undo)]) -> [String: Int] {
        var earliest: [String: Int] = [:]
        for (position, entry) in undos.enumerated() {
            let subjects = subjects(of: entry.undo, on: entry.target)
            for subject in [subjects.value, subjects.file].compactMap({ $0 }) + subjects.entries {
                earliest[subject] = position
            }
        }
        return earliest
    }

    /// `undo` without what an earlier step's undo puts back instead.
    private static func keeping(_ undo: Undo, on target: Target, at position: Int, _ earliest: [String: Int]) -> Undo {
        let owns = { (subject: String) in earliest[subject] == position }
        switch undo {
        case .sysctl(let key, let value, let file, let content):
            let subjects = subjects(of: undo, on: target)
            let keepsFile = subjects.file.map(owns) ?? false
            return .sysctl(
                key: key, value: subjects.value.map(owns) == true ? value : nil, file: keepsFile ? file : nil,
                fileContent: keepsFile ? content : nil)
        case .route(let restore, let remove):
            return .route(
                restore: restore.filter { owns("\(target) \(OutputComparison.RouteKey($0))") },
                remove: remove.filter { owns("\(target) \(OutputComparison.RouteKey($0))") })
        case .address(let restore, let remove):
            return .address(
                restore: restore.filter { owns("\(target) \(addressKey($0))") },
                remove: remove.filter { owns("\(target) \(addressKey($0))") })
        }
    }

    /// Applies one undo; returns what it changed ("" when nothing needed to change).
    private func apply(_ undo: Undo, on target: Target) throws -> String {
        var changes: [String] = []
        let state = try sessions.state(for: target, timeout: timeout)
        switch undo {
        case .sysctl(let key, let value, let file, let content):
            if let value, try !SysctlConfigFile.sameValue(state.setSysctl(key, value).before, value) {
                changes.append("\(key) = \(value)")
            }
            if let file {
                let current = try state.readFile(file)
                if let content, current != content {
                    try state.replaceFile(file, with: content)
                    changes.append("\(file) restored")
                } else if content == nil, current != nil {
                    try state.removeFile(file)
                    changes.append("\(file) removed (it did not exist before)")
                }
            }
        case .route(let restore, let remove):
            let present = Set(try state.routes().map(OutputComparison.RouteKey.init))
            for route in remove where present.contains(OutputComparison.RouteKey(route)) {
                try runIP(RouteChange(route, action: .del), on: target)
                changes.append("deleted \(OutputComparison.RouteKey(route))")
            }
            for route in restore where !present.contains(OutputComparison.RouteKey(route)) {
                try runIP(RouteChange(route, action: .add), on: target)
                changes.append("added \(OutputComparison.RouteKey(route))")
            }
        case .address(let restore, let remove):
            let present = Set(try state.addresses())
            for address in remove where present.contains(address) {
                try runIP(AddressChange(address, action: .del).iprouteCommand, on: target)
                changes.append("deleted \(Self.addressKey(address))")
            }
            for address in restore where !present.contains(address) {
                try runIP(AddressChange(address, action: .add).iprouteCommand, on: target)
                changes.append("added \(Self.addressKey(address))")
            }
        }
        return changes.joined(separator: "; ")
    }

    private func runIP(_ change: RouteChange, on target: Target) throws {
        try runIP(change.iprouteCommand, on: target)
    }

    private func runIP(_ command: String, on target: Target) throws {
        let result = try sessions.run(command, on: target, timeout: timeout)
        guard result.status == 0 else {
            throw Failure(description: "\(command) exited \(result.status): \(result.stderr.trimmingSpacesString)")
        }
    }

    /// `192.168.1.110/24 dev eth0 label eth0:110`: an address as rollback names it.
    private static func addressKey(_ address: InterfaceAddress) -> String {
        "\(address.address) dev \(address.device)" + (address.label.map { " label \($0)" } ?? "")
    }

    private static func describe(_ undo: Undo) -> String {
        switch undo {
        case .sysctl(let key, let value, let file, let content):
            var parts: [String] = []
            if let value { parts.append("set \(key) back to \(value)") }
            if let file { parts.append(content == nil ? "remove \(file)" : "restore \(file)") }
            return parts.joined(separator: "; ")
        case .route(let restore, let remove):
            return
                (remove.map { "delete \(OutputComparison.RouteKey($0))" }
                + restore.map { "add \(OutputComparison.RouteKey($0))" })
                .joined(separator: "; ")
        case .address(let restore, let remove):
            return (remove.map { "delete \(addressKey($0))" } + restore.map { "add \(addressKey($0))" })
                .joined(separator: "; ")
        }
    }

    private func pad(_ step: Int) -> String {
        let text = String(step)
        return String(repeating: " ", count: max(0, 3 - text.count)) + text
    }
}
