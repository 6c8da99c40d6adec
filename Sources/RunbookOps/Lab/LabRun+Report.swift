import RunbookCore

extension LabRun.Report {
    /// For CI: the verdict, every step's outcome, each probe and counter, the audit's findings.
    public func json() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("lab", lab)
        writer.field("passed", passed)
        writer.field("cannot_build", cannotBuild)
        writer.field("service", service.isEmpty ? nil : service)
        writer.key("steps")
        writer.beginArray()
        for outcome in outcomes {
            writer.beginObject()
            writer.field("step", outcome.step.index)
            writer.field("line", outcome.step.line)
            writer.field("target", outcome.target?.description)
            writer.field("verdict", outcome.verdict.rawValue)
            writer.field("message", outcome.message)
            writer.endObject()
        }
        writer.endArray()
        writer.key("checks")
        writer.beginArray()
        for check in allChecks {
            writer.beginObject()
            writer.field("name", check.name)
            writer.field("failed", check.failed)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self).dropLast() + #","findings":"#
            + AuditReport(color: false).json(findings).dropLast() + "}\n"
    }

    /// A test case per probe and counter, and per audit finding (as `audit --format junit`);
    /// a lab that could not be built is an error, not a failure.
    public func junit() -> String {
        let checks = allChecks
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out +=
            "<testsuites name=\"runbook lab run\" tests=\"\(checks.count + findings.count)\" failures=\"\(checks.filter(\.failed).count + findings.filter(\.verdict.isProblem).count)\" errors=\"\(cannotBuild == nil ? 0 : 1)\">\n"
        out +=
            "  <testsuite name=\"probes\" tests=\"\(max(checks.count, 1))\" failures=\"\(checks.filter(\.failed).count)\" errors=\"\(cannotBuild == nil ? 0 : 1)\">\n"
        if let cannotBuild {
            out +=
                "    <testcase classname=\"runbook.lab\" name=\"build the lab\">\n      <error message=\"\(AuditReport.xml(cannotBuild))\"/>\n    </testcase>\n"
        }
        for check in checks {
            out += "    <testcase classname=\"runbook.lab\" name=\"\(AuditReport.xml(check.name))\""
            out +=
                check.failed
                ? ">\n      <failure type=\"probe\" message=\"\(AuditReport.xml(check.name))\"/>\n    </testcase>\n"
                : "/>\n"
        }
        out += "  </testsuite>\n"
        return out + AuditReport(color: false).testSuites(findings) + "</testsuites>\n"
    }

    /// The declared checks, and the LVS service probe as one check when it ran.
    var allChecks: [(name: String, failed: Bool)] {
        guard probedService else { return checks }
        let serviceFailures = failures.filter { failure in !checks.contains { $0.name == failure } }
        return checks + [
            (
                "the client reaches every realserver through the VIP, and the director sends no ICMP redirects",
                !serviceFailures.isEmpty
            )
        ]
    }
}
