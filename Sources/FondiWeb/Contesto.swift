import Fondi
import FondiStore
import Hummingbird

/// The request context of `fondi serve`: who is signed in (resolved by `Accesso`), nothing else.
public struct ContestoFondi: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in session, once `Accesso` has found it.
    public var sessione: Sessione?
    /// Shared with the middleware outside `Accesso`, which logs who the request was.
    let traccia = Traccia()
    /// The events a form just recorded (`?registrati=N-M` on the page it lands on), shown above the page.
    var registrati: (da: Int64, a: Int64)?

    /// Reads `registrati=N-M` (two event numbers, at most 10,000 apart); anything else is ignored.
    static func registrati(_ testo: String?) -> (da: Int64, a: Int64)? {
        guard let testo, testo.utf8.count <= 41 else { return nil }
        let parti = testo.split(separator: "-", omittingEmptySubsequences: false)
        guard parti.count == 2, parti.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let da = Int64(parti[0]), let a = Int64(parti[1]), da >= 1, a >= da, a - da < 10_000 else { return nil }
        return (da, a)
    }

    public init(source: Source) {
        coreContext = .init(source: source)
        sessione = nil
    }

    /// Forms and API bodies are small: a command is a few hundred bytes (DOMAIN §8).
    public var maxUploadSize: Int { 256 * 1024 }
}
