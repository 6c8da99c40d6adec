import RunbookCore

extension LabRun.Report {
    /// For CI: the verdict, every step's outcome, each probe and counter, the audit's findings.
    public func json(file: String) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("lab", lab)
        writer.field("passed", passed)
        writer.field("cannot_build", cannotBuild)
        writer.field("service", service.isEmpty ? nil : service)
        writer.key("steps")
        writer.beginArray()
        for outcome in outcomes { ExecReport.write(outcome, file: file, to: &writer) }
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

    /// A suite of the lab's own checks (a case per probe and counter; a lab that could not be
    /// built is an error, not a failure), then the steps' and the audit's suites as `exec` and
    /// `audit` write them.
    public func junit(file: String) -> String {
        var probes = JUnit.Suite(name: "lab \(lab)", hostname: nil, time: nil)
        if let cannotBuild {
            probes.cases.append(
                JUnit.Case(
                    classname: "runbook.lab", name: "build the lab", time: nil,
                    result: .error(type: "cannot-build", message: cannotBuild, detail: nil)))
        }
        for check in allChecks {
            probes.cases.append(
                JUnit.Case(
                    classname: "runbook.lab", name: check.name, time: nil,
                    result: check.failed ? .failure(type: "probe", message: check.name, detail: nil) : .passed))
        }
        // One target has a suite of steps and one of findings here: the prefixes tell them apart.
        func prefixed(_ suites: [JUnit.Suite], _ prefix: String) -> [JUnit.Suite] {
            suites.map { suite in
                var suite = suite
                suite.name = prefix + suite.name
                return suite
            }
        }
        let suites =
            [probes] + prefixed(ExecReport.suites(outcomes, file: file), "steps on ")
            + prefixed(AuditReport.suites(findings), "audit of ")
        return JUnit(name: "runbook lab run", suites: suites).xml()
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
