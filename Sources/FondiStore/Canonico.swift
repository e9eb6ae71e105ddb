import Fondi

/// The canonical bytes of an event (DOMAIN §6), built directly in key order from the stored columns:
/// `atto, chiave, data, payload, registrato_il, seq, tipo, utente, versione`. The payload is stored already
/// canonical, so replay and `verifica` hash the stored bytes without re-serialising them.
public enum Canonico {
    /// The same bytes as `evento(…)`, appended to a batch buffer from raw column bytes (replay's hot path:
    /// no String is created for the envelope). `nil` atto or chiave is JSON null.
    static func aggiungi(
        to out: inout [UInt8], seq: Int64, tipo: UnsafeBufferPointer<UInt8>, versione: Int64, data: UnsafeBufferPointer<UInt8>,
        registratoIl: UnsafeBufferPointer<UInt8>, utente: UnsafeBufferPointer<UInt8>, chiave: UnsafeBufferPointer<UInt8>?,
        atto: UnsafeBufferPointer<UInt8>?, payload: UnsafeBufferPointer<UInt8>
    ) {
        out.append(contentsOf: "{\"atto\":".utf8)
        if let atto { ValoreJSON.scriviStringa(byte: atto, into: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: ",\"chiave\":".utf8)
        if let chiave { ValoreJSON.scriviStringa(byte: chiave, into: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: ",\"data\":".utf8)
        ValoreJSON.scriviStringa(byte: data, into: &out)
        out.append(contentsOf: ",\"payload\":".utf8)
        out.append(contentsOf: payload)
        out.append(contentsOf: ",\"registrato_il\":".utf8)
        ValoreJSON.scriviStringa(byte: registratoIl, into: &out)
        out.append(contentsOf: ",\"seq\":".utf8)
        out.append(contentsOf: String(seq).utf8)
        out.append(contentsOf: ",\"tipo\":".utf8)
        ValoreJSON.scriviStringa(byte: tipo, into: &out)
        out.append(contentsOf: ",\"utente\":".utf8)
        ValoreJSON.scriviStringa(byte: utente, into: &out)
        out.append(contentsOf: ",\"versione\":".utf8)
        out.append(contentsOf: String(versione).utf8)
        out.append(0x7D)
    }

    public static func evento(seq: Int64, tipo: String, versione: Int, data: String, registratoIl: String, utente: String,
                       chiave: String?, atto: String?, payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 200)
        out.append(contentsOf: "{\"atto\":".utf8)
        if let atto { ValoreJSON.scriviStringa(atto, into: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: ",\"chiave\":".utf8)
        if let chiave { ValoreJSON.scriviStringa(chiave, into: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: ",\"data\":".utf8)
        ValoreJSON.scriviStringa(data, into: &out)
        out.append(contentsOf: ",\"payload\":".utf8)
        out.append(contentsOf: payload)
        out.append(contentsOf: ",\"registrato_il\":".utf8)
        ValoreJSON.scriviStringa(registratoIl, into: &out)
        out.append(contentsOf: ",\"seq\":".utf8)
        out.append(contentsOf: String(seq).utf8)
        out.append(contentsOf: ",\"tipo\":".utf8)
        ValoreJSON.scriviStringa(tipo, into: &out)
        out.append(contentsOf: ",\"utente\":".utf8)
        ValoreJSON.scriviStringa(utente, into: &out)
        out.append(contentsOf: ",\"versione\":".utf8)
        out.append(contentsOf: String(versione).utf8)
        out.append(0x7D)
        return out
    }
}
