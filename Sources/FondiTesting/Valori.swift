import Fondi

/// A code built in test code (a programming error, not input, when invalid).
public func cod(_ s: String) -> Codice {
    guard let c = Codice(validando: s) else { preconditionFailure("codice di prova non valido: \(s)") }
    return c
}

/// A descriptive text built in test code.
public func txt(_ s: String) -> Testo {
    guard let t = Testo(validando: s) else { preconditionFailure("testo di prova non valido: \(s)") }
    return t
}

/// A code of one kind built in test code: `Numero<K>` from the context (`let f: CodiceFonte = cod("F1")`).
public func cod<K>(_ s: String) -> Numero<K> { Numero(cod(s)) }
