/// One budget line: a fonte spent on a servizio in an esercizio (DOMAIN §1).
public struct LineaChiave: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let fonte: String
    public let servizio: String
    public let esercizio: Int

    public init(fonte: String, servizio: String, esercizio: Int) {
        self.fonte = fonte
        self.servizio = servizio
        self.esercizio = esercizio
    }

    /// A linea named by validated codes: how parsers build the linea of a command (DOMAIN rule 13).
    public init(fonte: Codice, servizio: Codice, esercizio: Int) {
        self.init(fonte: fonte.testo, servizio: servizio.testo, esercizio: esercizio)
    }

    public static func < (l: LineaChiave, r: LineaChiave) -> Bool {
        (l.fonte, l.servizio, l.esercizio) < (r.fonte, r.servizio, r.esercizio)
    }

    /// `FNA-2023/C2/2023`, as in the messages of DOMAIN §4.
    public var description: String { "\(fonte)/\(servizio)/\(esercizio)" }
}

/// A fact of the ledger (DOMAIN §2). A case and its payload never change once shipped: a new shape gets a
/// new case or a new `versione` (ADR 0003). Amounts are positive; the case gives the direction.
public enum Evento: Equatable, Sendable {
    case fonteRegistrata(codice: String, tipo: String, annualita: Int, vincolata: Bool, importo: Importo, descrizione: String?)
    case fonteIntegrata(fonte: String, importo: Importo)
    case fonteRidotta(fonte: String, importo: Importo)
    case servizioRegistrato(codice: String, descrizione: String)
    case programmazioneDisposta(linea: LineaChiave, importo: Importo)
    case programmazioneRidotta(linea: LineaChiave, importo: Importo)
    case programmazioneSpostata(fonte: String, esercizio: Int, daServizio: String, aServizio: String, importo: Importo)
    /// Versione 2 adds `prenotazione`; a versione-1 event reads as versione 2 without it (ADR 0013).
    case impegnoAssunto(numero: String, linea: LineaChiave, importo: Importo, creditore: String, oggetto: String, cig: String?, cup: String?,
                        prenotazione: String?)
    case impegnoRidotto(impegno: String, importo: Importo, motivo: String)
    case liquidazioneDisposta(numero: String, impegno: String, importo: Importo, documento: String?)
    case liquidazioneAnnullata(liquidazione: String, importo: Importo, motivo: String)
    case pagamentoEmesso(mandato: String, liquidazione: String, importo: Importo)
    case residuoRiportato(impegno: String, annoProvenienza: Int, importo: Importo)
    case economiaRilevata(linea: LineaChiave, importo: Importo)
    /// `totali` are cent totals at 31/12 (may be zero); `digest` is the SHA-256 (hex) of the closing's
    /// canonical document, computed by the store. Versione 2 adds the totals of DOMAIN §9.
    case esercizioChiuso(esercizio: Int, totali: TotaliChiusura, digest: String)
    case residuoEliminato(impegno: String, importo: Importo, motivo: String)
    // DOMAIN §9: prenotazioni, riaccertamento, entrate.
    case prenotazioneAssunta(numero: String, linea: LineaChiave, importo: Importo, oggetto: String)
    case prenotazioneRidotta(prenotazione: String, importo: Importo, motivo: String)
    /// A record, like `ResiduoRiportato`: what a prenotazione of N had not committed at the closing of N.
    case prenotazioneDecaduta(prenotazione: String, importo: Importo)
    case impegnoReimputato(impegno: String, importo: Importo, esercizio: Int, numero: String)
    case accertamentoRegistrato(numero: String, fonte: String, esercizio: Int, importo: Importo, debitore: String)
    case accertamentoRidotto(accertamento: String, importo: Importo, motivo: String)
    case riscossioneRegistrata(reversale: String, accertamento: String, importo: Importo, documento: String?)
    /// A record: an accertamento's da riscuotere at 31/12 of its closing.
    case residuoAttivoRiportato(accertamento: String, annoProvenienza: Int, importo: Importo)
    // DOMAIN §10: scadenze and rendicontazioni. Fields that do not apply to a scadenza's tipo are nil.
    case scadenzaFissata(numero: String, fonte: String, tipo: TipoScadenza, termine: DataContabile, soglia: Int?, base: BaseScadenza?,
                         destinatario: String?, copertura: DataContabile?)
    case scadenzaProrogata(scadenza: String, termine: DataContabile, motivo: String)
    case scadenzaRevocata(scadenza: String, motivo: String)
    /// The figures sent, computed by Fondi from the `--al` view of the cut-off and kept in the event itself,
    /// so the hash chain proves what was sent.
    case rendicontazioneInviata(numero: String, destinatario: String, al: DataContabile, righe: [RigaRendicontazione], motivo: String?)

    /// The schema version written with a new event of this type (ADR 0003, ADR 0013). Stored events keep
    /// the version they were written with: `EventoRegistrato.versione`.
    public var versioneScritta: Int { tipoEvento.versione }

    /// The highest version of each type this program reads (older ones are upcast when decoded).
    static func versioneMassima(_ tipo: String) -> Int { TipoEvento(rawValue: tipo)?.versione ?? 1 }

    /// The event type name stored in `tipo` and exported (DOMAIN §2).
    public var tipo: String { tipoEvento.rawValue }

    /// The event's type: each case names its own, so a new event cannot lack a stored name.
    public var tipoEvento: TipoEvento {
        switch self {
        case .fonteRegistrata: .fonteRegistrata
        case .fonteIntegrata: .fonteIntegrata
        case .fonteRidotta: .fonteRidotta
        case .servizioRegistrato: .servizioRegistrato
        case .programmazioneDisposta: .programmazioneDisposta
        case .programmazioneRidotta: .programmazioneRidotta
        case .programmazioneSpostata: .programmazioneSpostata
        case .impegnoAssunto: .impegnoAssunto
        case .impegnoRidotto: .impegnoRidotto
        case .liquidazioneDisposta: .liquidazioneDisposta
        case .liquidazioneAnnullata: .liquidazioneAnnullata
        case .pagamentoEmesso: .pagamentoEmesso
        case .residuoRiportato: .residuoRiportato
        case .economiaRilevata: .economiaRilevata
        case .esercizioChiuso: .esercizioChiuso
        case .residuoEliminato: .residuoEliminato
        case .prenotazioneAssunta: .prenotazioneAssunta
        case .prenotazioneRidotta: .prenotazioneRidotta
        case .prenotazioneDecaduta: .prenotazioneDecaduta
        case .impegnoReimputato: .impegnoReimputato
        case .accertamentoRegistrato: .accertamentoRegistrato
        case .accertamentoRidotto: .accertamentoRidotto
        case .riscossioneRegistrata: .riscossioneRegistrata
        case .residuoAttivoRiportato: .residuoAttivoRiportato
        case .scadenzaFissata: .scadenzaFissata
        case .scadenzaProrogata: .scadenzaProrogata
        case .scadenzaRevocata: .scadenzaRevocata
        case .rendicontazioneInviata: .rendicontazioneInviata
        }
    }
}

/// The names of the event types as stored and exported (DOMAIN §2): a `switch` over them (the decoder's) is
/// exhaustive, so a type that is written but cannot be read back does not compile.
public enum TipoEvento: String, CaseIterable, Sendable {
    case fonteRegistrata = "FonteRegistrata"
    case fonteIntegrata = "FonteIntegrata"
    case fonteRidotta = "FonteRidotta"
    case servizioRegistrato = "ServizioRegistrato"
    case programmazioneDisposta = "ProgrammazioneDisposta"
    case programmazioneRidotta = "ProgrammazioneRidotta"
    case programmazioneSpostata = "ProgrammazioneSpostata"
    case impegnoAssunto = "ImpegnoAssunto"
    case impegnoRidotto = "ImpegnoRidotto"
    case liquidazioneDisposta = "LiquidazioneDisposta"
    case liquidazioneAnnullata = "LiquidazioneAnnullata"
    case pagamentoEmesso = "PagamentoEmesso"
    case residuoRiportato = "ResiduoRiportato"
    case economiaRilevata = "EconomiaRilevata"
    case esercizioChiuso = "EsercizioChiuso"
    case residuoEliminato = "ResiduoEliminato"
    case prenotazioneAssunta = "PrenotazioneAssunta"
    case prenotazioneRidotta = "PrenotazioneRidotta"
    case prenotazioneDecaduta = "PrenotazioneDecaduta"
    case impegnoReimputato = "ImpegnoReimputato"
    case accertamentoRegistrato = "AccertamentoRegistrato"
    case accertamentoRidotto = "AccertamentoRidotto"
    case riscossioneRegistrata = "RiscossioneRegistrata"
    case residuoAttivoRiportato = "ResiduoAttivoRiportato"
    case scadenzaFissata = "ScadenzaFissata"
    case scadenzaProrogata = "ScadenzaProrogata"
    case scadenzaRevocata = "ScadenzaRevocata"
    case rendicontazioneInviata = "RendicontazioneInviata"

    /// The schema version this program writes and reads at most (ADR 0003, ADR 0013).
    public var versione: Int {
        switch self {
        case .impegnoAssunto, .esercizioChiuso: 2
        case .fonteRegistrata, .fonteIntegrata, .fonteRidotta, .servizioRegistrato, .programmazioneDisposta, .programmazioneRidotta, .programmazioneSpostata, .impegnoRidotto, .liquidazioneDisposta, .liquidazioneAnnullata, .pagamentoEmesso, .residuoRiportato, .economiaRilevata, .residuoEliminato, .prenotazioneAssunta, .prenotazioneRidotta, .prenotazioneDecaduta, .impegnoReimputato, .accertamentoRegistrato, .accertamentoRidotto, .riscossioneRegistrata, .residuoAttivoRiportato, .scadenzaFissata, .scadenzaProrogata, .scadenzaRevocata, .rendicontazioneInviata: 1
        }
    }
}

/// The totals `EsercizioChiuso` carries (cents at 31/12/N, after the riaccertamento). `armonizzati` is nil
/// for a versione-1 event, written before DOMAIN §9: its payload has only economie and residui passivi.
public struct TotaliChiusura: Equatable, Sendable {
    public var economie: Int64
    public var residuiPassivi: Int64
    public var armonizzati: Armonizzati?

    public struct Armonizzati: Equatable, Sendable {
        public var fpv: Int64
        public var prenotazioniDecadute: Int64
        public var residuiAttivi: Int64
        public init(fpv: Int64, prenotazioniDecadute: Int64, residuiAttivi: Int64) {
            self.fpv = fpv
            self.prenotazioniDecadute = prenotazioniDecadute
            self.residuiAttivi = residuiAttivi
        }
    }

    public init(economie: Int64, residuiPassivi: Int64, armonizzati: Armonizzati? = nil) {
        self.economie = economie
        self.residuiPassivi = residuiPassivi
        self.armonizzati = armonizzati
    }

    public var fpv: Int64 { armonizzati?.fpv ?? 0 }
    public var prenotazioniDecadute: Int64 { armonizzati?.prenotazioniDecadute ?? 0 }
    public var residuiAttivi: Int64 { armonizzati?.residuiAttivi ?? 0 }
}

/// An event as stored: its envelope (DOMAIN §2) and chain hash (DOMAIN §6).
public struct EventoRegistrato: Equatable, Sendable {
    public let seq: Int64
    public let versione: Int
    public let data: DataContabile
    /// UTC timestamp of recording, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public let registratoIl: String
    public let utente: String
    public let chiave: String?
    public let atto: String?
    public let evento: Evento
    /// SHA-256 chain hash, 32 bytes.
    public let hashByte: [UInt8]
    /// SHA-256 chain hash, 64 lowercase hex digits (computed when asked: replay never needs it).
    public var hash: String { Esadecimale.testo(hashByte) }

    public init(seq: Int64, versione: Int, data: DataContabile, registratoIl: String, utente: String,
                chiave: String?, atto: String?, evento: Evento, hashByte: [UInt8]) {
        self.seq = seq
        self.versione = versione
        self.data = data
        self.registratoIl = registratoIl
        self.utente = utente
        self.chiave = chiave
        self.atto = atto
        self.evento = evento
        self.hashByte = hashByte
    }
}

/// Lowercase hexadecimal text of bytes.
public enum Esadecimale {
    public static func testo(_ byte: [UInt8]) -> String {
        let cifre = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(byte.count * 2)
        for b in byte {
            out.append(cifre[Int(b >> 4)])
            out.append(cifre[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension TipoEvento {
    /// The type as an officer reads it: `ImpegnoAssunto` → `Impegno assunto`, `PagamentoEmesso` → `Pagamento emesso`.
    public var inParole: String {
        var out = ""
        for c in rawValue {
            if c.isUppercase, !out.isEmpty { out += " " + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}
