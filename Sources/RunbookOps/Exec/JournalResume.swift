import Foundation
import RunbookCore

/// Where a stopped run continues (`runbook exec --resume`).
public enum JournalResume {
    /// The newest journal of a runbook under `directory` (names carry a sortable UTC time).
    public static func latestJournal(for runbook: String, in directory: String = ".runbook/journal") -> String? {
        let prefix = Journal.defaultPath(for: runbook, at: 0).split(separator: "/").last!.dropLast(
            "19700101T000000.jsonl".count)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter {
            $0.hasPrefix(prefix) && $0.hasSuffix(".jsonl") && $0.dropFirst(prefix.count).first?.isNumber == true
        }
        .max()
        .map { "\(directory)/\($0)" }
    }

    /// The (step, target) pairs a resumed run leaves out: those whose latest record in the
    /// journal succeeded. Everything else runs: steps that failed, drifted or were
    /// interrupted, on the targets where they did, and every pair the stopped run never
    /// reached (a step of a role with several targets may have run on some of them only).
    public static func completed(journal path: String) throws(UsageProblem) -> Set<ExecPlan.Done> {
        let records = try JournalRecord.read(path)
        var latest: [ExecPlan.Done: Bool] = [:]
        for record in records {
            guard let step = record.step, let verdict = record.verdict.flatMap(StepOutcome.Verdict.init) else {
                continue
            }
            latest[ExecPlan.Done(step: step, target: record.target)] = [.ok, .changed, .unchanged].contains(verdict)
        }
        return Set(latest.filter(\.value).keys)
    }
}
