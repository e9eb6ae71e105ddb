import Dispatch
import Synchronization

/// A bounded queue between one producer thread and one consumer: `invia` blocks while `capacita` items
/// wait, `ricevi` blocks while none does. Used by the replay to read, hash and decode events on one core
/// while the caller folds them on another (ADR 0009).
public final class Condotto<T: Sendable>: Sendable {
    private let coda = Mutex<[T]>([])
    private let spazi: DispatchSemaphore
    private let pronti = DispatchSemaphore(value: 0)
    private let annullato = Atomic<Bool>(false)

    public init(capacita: Int) { spazi = DispatchSemaphore(value: capacita) }

    public func invia(_ x: T) {
        spazi.wait()
        coda.withLock { $0.append(x) }
        pronti.signal()
    }

    public func ricevi() -> T {
        pronti.wait()
        let x = coda.withLock { $0.removeFirst() }
        spazi.signal()
        return x
    }

    /// The consumer gave up (it threw): the producer should stop at its next batch.
    public func annulla() { annullato.store(true, ordering: .relaxed) }
    public var eAnnullato: Bool { annullato.load(ordering: .relaxed) }
}
