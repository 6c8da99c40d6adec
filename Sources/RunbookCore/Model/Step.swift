/// One typed, executable step of a runbook, with where it came from.
public struct Step: Sendable, Equatable {
    /// 1-based position in the runbook's execution order.
    public var index: Int
    /// File line of the command (or config line) the step was read from.
    public var line: Int
    /// Text of the nearest heading above the step.
    public var section: String?
    /// The role the step runs on (`director`, `realserver`): from the prompt, an explicit
    /// `{host=...}` attribute, or inherited within the section; nil when the doc does not say.
    public var host: String?
    public var cwd: String?
    public var user: String?
    public var action: Action
    /// The variables (`FWD` of `sysctl -w net.ipv4.ip_forward=$FWD`) whose values the action
    /// was typed with, so that the plan shows where its values came from; empty for a step
    /// written out in full, and for a command, which reads them from its environment.
    public var variables: [String] = []

    public enum Action: Sendable, Equatable {
        case sysctl(SysctlSetting)
        case route(RouteChange)
        case address(AddressChange)
        case ipvs(IPVSRule)
        case command(Command)
    }

    public enum Kind: String, Sendable, CaseIterable {
        case sysctl, route, address, ipvs, command
    }

    public var kind: Kind {
        switch action {
        case .sysctl: .sysctl
        case .route: .route
        case .address: .address
        case .ipvs: .ipvs
        case .command: .command
        }
    }

    /// The documented command text, when the step was written as one.
    public var command: String? {
        switch action {
        case .sysctl(let setting): setting.command
        case .route(let change): change.command
        case .address(let change): change.command
        case .ipvs(let rule): rule.command
        case .command(let command): command.text
        }
    }
}

/// A shell command with what the doc says it prints.
public struct Command: Sendable, Equatable {
    public var text: String
    public var expect: Expectation?
    /// Marked `{audit}` in the doc: the author means it as a check. `runbook audit` still
    /// re-runs only the plain reads of `ReadOnlyCommands`.
    public var isAuditable = false
    /// False when the doc never terminates a heredoc of the command: a shell given it would
    /// wait for the terminator, so it is not run.
    public var isComplete = true
    /// The route or address change the command makes inside another network namespace (`ip
    /// netns exec NS ip route add ...`): typed for reading, but run as written, since the
    /// target's own tables are not the ones it changes. Kept out of line: such commands are
    /// rare, and inline the change would make every step of a document larger (12 MB more for
    /// 112,500 steps).
    public var namespacedRoute: RouteChange? {
        if case .route(let change)? = namespacedBox?.change { change } else { nil }
    }
    public var namespacedAddress: AddressChange? {
        if case .address(let change)? = namespacedBox?.change { change } else { nil }
    }
    /// Stored through a box; set with the memberwise initializer, which moves its arguments
    /// into place where an explicit one copies them.
    package var namespacedBox: NamespacedChangeBox? = nil
}

/// An immutable, shared change made in another namespace: one pointer in the value that holds it.
package final class NamespacedChangeBox: Sendable, Equatable {
    package enum Change: Sendable, Equatable {
        case route(RouteChange)
        case address(AddressChange)
    }

    let change: Change
    package init(_ change: Change) { self.change = change }
    package static func == (lhs: NamespacedChangeBox, rhs: NamespacedChangeBox) -> Bool { lhs.change == rhs.change }
}

/// Documented output of a command. `routes` is set when the command prints a routing table
/// (`route -n`, `ip route`) and every line of the output parsed as a route, so that it can be
/// compared as a set rather than as text.
public struct Expectation: Sendable, Equatable {
    public var output: String
    public var routes: [RouteEntry]?
    /// Set when the command lists the IPVS table (`ipvsadm -Ln`) and the output parsed as one:
    /// compared with the kernel's table as a set, not as text.
    public var ipvs: [IPVSService]? = nil
    /// Set when the command lists interface addresses (`ip addr`, `ifconfig`) and the output
    /// parsed as such: compared with the machine's addresses as sets, per device shown.
    public var addresses: [InterfaceAddress]? = nil

    /// The documented output is a table the kernel can be asked for (IPVS, addresses): exec
    /// and audit compare it with what the kernel reports instead of running the command, and
    /// the exports check it in `verify_HOST`.
    public var isKernelTable: Bool { ipvs != nil || addresses != nil }
    /// The prose presents the output as a possible starting state ("may look like", "before"):
    /// a mismatch is a warning, not a failure.
    public var isPrecondition = false
    /// The doc elides rows (`...`): the documented routes must be there, others may be too.
    public var isPartial = false
    /// The file lines the documented output stands on (one per line of `output`), for `audit
    /// --update` to write what a command printed in their place. Where the output stands is
    /// not part of what it says, so it takes no part in `==`.
    public var outputLines: Range<Int>? = nil

    public static func == (lhs: Expectation, rhs: Expectation) -> Bool {
        lhs.output == rhs.output && lhs.routes == rhs.routes && lhs.ipvs == rhs.ipvs && lhs.addresses == rhs.addresses
            && lhs.isPrecondition == rhs.isPrecondition && lhs.isPartial == rhs.isPartial
    }
}
