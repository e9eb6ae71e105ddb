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

    public init(source: Source) {
        coreContext = .init(source: source)
        sessione = nil
    }

    /// Forms and API bodies are small: a command is a few hundred bytes (DOMAIN §8).
    public var maxUploadSize: Int { 256 * 1024 }
}
