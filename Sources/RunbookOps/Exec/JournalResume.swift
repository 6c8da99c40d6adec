import Foundation
import RunbookCore

/// Where a stopped run continues (`runbook exec --resume`).
public enum JournalResume {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

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

    /// The step to start from: the first step whose latest record failed, drifted or was
    /// interrupted (it is run again: steps are idempotent, and on a role with several targets
    /// some of them may not have run it); else the step after the last one recorded (a run
    /// killed outright leaves no failure). Nil when that is past `lastStep`.
    public static func resumeStep(journal path: String, lastStep: Int) throws(Failure) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "cannot read journal \(path)")
        }
        // The latest verdict of each step on each target: a failure that a resumed run fixed
        // no longer counts.
        var latest: [String: (step: Int, failed: Bool)] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let record = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw Failure(description: "\(path) is not a runbook journal (a line is not JSON)")
            }
            guard let step = record["step"] as? Int, let verdict = record["verdict"] as? String else { continue }
            let failed = verdict == StepOutcome.Verdict.failed.rawValue || verdict == StepOutcome.Verdict.drift.rawValue
            latest["\(step) \(record["target"] as? String ?? "")"] = (step, failed)
        }
        if let failed = latest.values.filter(\.failed).map(\.step).min() { return failed }
        let next = (latest.values.map(\.step).max() ?? 0) + 1
        return next <= lastStep ? next : nil
    }
}
