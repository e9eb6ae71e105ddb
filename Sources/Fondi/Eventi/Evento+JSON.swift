/// A payload's fields, looked up by linear search: payloads have at most ten fields.
struct CampiPayload {
    let campi: [(String, ValoreJSON)]
    init(_ campi: [(String, ValoreJSON)]) { self.campi = campi }
    subscript(_ chiave: String) -> ValoreJSON? {
        for (k, v) in campi where k == chiave { return v }
        return nil
    }
}

/// A stored event whose payload cannot be read back: a corrupt file or a bug, never user input.
public struct ErroreDecodifica: Error, Equatable, Sendable, CustomStringConvertible {
    public let motivo: String
    public init(_ motivo: String) { self.motivo = motivo }
    public var description: String { motivo }
}

extension Evento {
    /// The payload object (DOMAIN §2 field names, amounts in cents). Absent optional fields are omitted.
    public var payload: ValoreJSON { .oggetto(Dictionary(uniqueKeysWithValues: campiPayload)) }

    /// The payload's canonical bytes (what is stored and hashed), written without building a dictionary.
    public var payloadCanonico: [UInt8] {
        // Payload keys are ASCII constants, for which byte order is RFC 8785's UTF-16 order.
        let campi = campiPayload.sorted { $0.0 < $1.0 }
        var out: [UInt8] = [0x7B]
        out.reserveCapacity(160)
        for (n, (k, v)) in campi.enumerated() {
            if n > 0 { out.append(0x2C) }
            ValoreJSON.scriviStringa(k, into: &out)
            out.append(0x3A)
            v.scriviCanonico(into: &out)
        }
        out.append(0x7D)
        return out
    }

    var campiPayload: [(String, ValoreJSON)] {
        var p: [(String, ValoreJSON)] = []
        p.reserveCapacity(10)
        func s(_ k: String, _ v: String) { p.append((k, .stringa(v))) }
        func o(_ k: String, _ v: String?) { if let v { p.append((k, .stringa(v))) } }
        func n(_ k: String, _ v: Int) { p.append((k, .intero(Int64(v)))) }
        func i(_ v: Importo) { p.append(("importo", .intero(v.centesimi))) }
        func l(_ linea: LineaChiave) { s("fonte", linea.fonte); s("servizio", linea.servizio); n("esercizio", linea.esercizio) }
        switch self {
        case let .fonteRegistrata(codice, tipo, annualita, vincolata, importo, descrizione):
            s("codice", codice); s("tipo", tipo); n("annualita", annualita); p.append(("vincolata", .booleano(vincolata)))
            i(importo); o("descrizione", descrizione)
        case let .fonteIntegrata(fonte, importo), let .fonteRidotta(fonte, importo):
            s("fonte", fonte); i(importo)
        case let .servizioRegistrato(codice, descrizione):
            s("codice", codice); s("descrizione", descrizione)
        case let .programmazioneDisposta(linea, importo), let .programmazioneRidotta(linea, importo),
             let .economiaRilevata(linea, importo):
            l(linea); i(importo)
        case let .programmazioneSpostata(fonte, esercizio, da, a, importo):
            s("fonte", fonte); n("esercizio", esercizio); s("da_servizio", da); s("a_servizio", a); i(importo)
        case let .impegnoAssunto(numero, linea, importo, creditore, oggetto, cig, cup, prenotazione):
            s("numero", numero); l(linea); i(importo); s("creditore", creditore); s("oggetto", oggetto)
            o("cig", cig); o("cup", cup); o("prenotazione", prenotazione)
        case let .impegnoRidotto(impegno, importo, motivo), let .residuoEliminato(impegno, importo, motivo):
            s("impegno", impegno); i(importo); s("motivo", motivo)
        case let .liquidazioneDisposta(numero, impegno, importo, documento):
            s("numero", numero); s("impegno", impegno); i(importo); o("documento", documento)
        case let .liquidazioneAnnullata(liquidazione, importo, motivo):
            s("liquidazione", liquidazione); i(importo); s("motivo", motivo)
        case let .pagamentoEmesso(mandato, liquidazione, importo):
            s("mandato", mandato); s("liquidazione", liquidazione); i(importo)
        case let .residuoRiportato(impegno, anno, importo):
            s("impegno", impegno); n("anno_provenienza", anno); i(importo)
        case let .esercizioChiuso(esercizio, totali, digest):
            n("esercizio", esercizio); p.append(("economie", .intero(totali.economie))); p.append(("residui_passivi", .intero(totali.residuiPassivi)))
            if let a = totali.armonizzati {
                p.append(("fpv", .intero(a.fpv))); p.append(("prenotazioni_decadute", .intero(a.prenotazioniDecadute)))
                p.append(("residui_attivi", .intero(a.residuiAttivi)))
            }
            s("digest", digest)
        case let .prenotazioneAssunta(numero, linea, importo, oggetto):
            s("numero", numero); l(linea); i(importo); s("oggetto", oggetto)
        case let .prenotazioneRidotta(prenotazione, importo, motivo):
            s("prenotazione", prenotazione); i(importo); s("motivo", motivo)
        case let .prenotazioneDecaduta(prenotazione, importo):
            s("prenotazione", prenotazione); i(importo)
        case let .impegnoReimputato(impegno, importo, esercizio, numero):
            s("impegno", impegno); i(importo); n("esercizio", esercizio); s("numero", numero)
        case let .accertamentoRegistrato(numero, fonte, esercizio, importo, debitore):
            s("numero", numero); s("fonte", fonte); n("esercizio", esercizio); i(importo); s("debitore", debitore)
        case let .accertamentoRidotto(accertamento, importo, motivo):
            s("accertamento", accertamento); i(importo); s("motivo", motivo)
        case let .riscossioneRegistrata(reversale, accertamento, importo, documento):
            s("reversale", reversale); s("accertamento", accertamento); i(importo); o("documento", documento)
        case let .residuoAttivoRiportato(accertamento, anno, importo):
            s("accertamento", accertamento); n("anno_provenienza", anno); i(importo)
        case .scadenzaFissata, .scadenzaProrogata, .scadenzaRevocata, .rendicontazioneInviata:
            p += campiScadenze
        }
        return p
    }

    /// Reads a stored payload back. Upcasting of older `versione`s goes here (ADR 0003).
    /// - Throws: `ErroreDecodifica` when the type is unknown or a field is missing or malformed.
    public static func decodifica(tipo: String, versione: Int, payload: ValoreJSON) throws(ErroreDecodifica) -> Evento {
        guard case let .oggetto(p) = payload else { throw ErroreDecodifica("payload di \(tipo) non è un oggetto") }
        return try decodifica(tipo: tipo, versione: versione, campi: CampiPayload(p.map { ($0.key, $0.value) }))
    }

    /// Reads a stored payload from its bytes: the replay fast path (a flat object, no dictionary).
    public static func decodifica(tipo: String, versione: Int, payloadByte: [UInt8]) throws(ErroreDecodifica) -> Evento {
        var lettore = LettoreJSON(byte: payloadByte, validaUTF8: false)
        let campi: [(String, ValoreJSON)]
        do { campi = try lettore.oggettoPiatto(annidati: true) } catch { throw ErroreDecodifica("payload illeggibile: \(error)") }
        return try decodifica(tipo: tipo, versione: versione, campi: CampiPayload(campi))
    }

    static func decodifica(tipo: String, versione: Int, campi p: CampiPayload) throws(ErroreDecodifica) -> Evento {
        guard versione >= 1, versione <= versioneMassima(tipo) else { throw ErroreDecodifica("versione \(versione) di \(tipo) sconosciuta") }
        let r = LettorePayload(tipo: tipo, p: p)
        guard let t = TipoEvento(rawValue: tipo) else { throw ErroreDecodifica("tipo di evento sconosciuto: \(tipo)") }
        switch t {
        case .fonteRegistrata:
            guard let vincolata = r.p["vincolata"]?.booleano else { throw ErroreDecodifica("\(tipo): campo 'vincolata' mancante") }
            return .fonteRegistrata(codice: try r.s("codice"), tipo: try r.s("tipo"), annualita: try r.n("annualita"),
                                    vincolata: vincolata, importo: try r.i(), descrizione: r.o("descrizione"))
        case .fonteIntegrata: return .fonteIntegrata(fonte: try r.s("fonte"), importo: try r.i())
        case .fonteRidotta: return .fonteRidotta(fonte: try r.s("fonte"), importo: try r.i())
        case .servizioRegistrato: return .servizioRegistrato(codice: try r.s("codice"), descrizione: try r.s("descrizione"))
        case .programmazioneDisposta: return .programmazioneDisposta(linea: try r.l(), importo: try r.i())
        case .programmazioneRidotta: return .programmazioneRidotta(linea: try r.l(), importo: try r.i())
        case .programmazioneSpostata:
            return .programmazioneSpostata(fonte: try r.s("fonte"), esercizio: try r.n("esercizio"), daServizio: try r.s("da_servizio"),
                                           aServizio: try r.s("a_servizio"), importo: try r.i())
        case .impegnoAssunto:
            // The upcaster from versione 1 (ADR 0013): an impegno assumed before prenotazioni existed has none.
            return .impegnoAssunto(numero: try r.s("numero"), linea: try r.l(), importo: try r.i(), creditore: try r.s("creditore"),
                                   oggetto: try r.s("oggetto"), cig: r.o("cig"), cup: r.o("cup"), prenotazione: versione >= 2 ? r.o("prenotazione") : nil)
        case .impegnoRidotto: return .impegnoRidotto(impegno: try r.s("impegno"), importo: try r.i(), motivo: try r.s("motivo"))
        case .liquidazioneDisposta:
            return .liquidazioneDisposta(numero: try r.s("numero"), impegno: try r.s("impegno"), importo: try r.i(), documento: r.o("documento"))
        case .liquidazioneAnnullata:
            return .liquidazioneAnnullata(liquidazione: try r.s("liquidazione"), importo: try r.i(), motivo: try r.s("motivo"))
        case .pagamentoEmesso: return .pagamentoEmesso(mandato: try r.s("mandato"), liquidazione: try r.s("liquidazione"), importo: try r.i())
        case .residuoRiportato:
            return .residuoRiportato(impegno: try r.s("impegno"), annoProvenienza: try r.n("anno_provenienza"), importo: try r.i())
        case .economiaRilevata: return .economiaRilevata(linea: try r.l(), importo: try r.i())
        case .esercizioChiuso:
            // Versione 1 has no totals of DOMAIN §9: kept as absent, so the payload re-encodes to its stored bytes.
            let armonizzati = versione >= 2
                ? TotaliChiusura.Armonizzati(fpv: try r.c("fpv"), prenotazioniDecadute: try r.c("prenotazioni_decadute"), residuiAttivi: try r.c("residui_attivi"))
                : nil
            return .esercizioChiuso(esercizio: try r.n("esercizio"),
                                    totali: TotaliChiusura(economie: try r.c("economie"), residuiPassivi: try r.c("residui_passivi"), armonizzati: armonizzati),
                                    digest: try r.s("digest"))
        case .residuoEliminato: return .residuoEliminato(impegno: try r.s("impegno"), importo: try r.i(), motivo: try r.s("motivo"))
        case .prenotazioneAssunta:
            return .prenotazioneAssunta(numero: try r.s("numero"), linea: try r.l(), importo: try r.i(), oggetto: try r.s("oggetto"))
        case .prenotazioneRidotta: return .prenotazioneRidotta(prenotazione: try r.s("prenotazione"), importo: try r.i(), motivo: try r.s("motivo"))
        case .prenotazioneDecaduta: return .prenotazioneDecaduta(prenotazione: try r.s("prenotazione"), importo: try r.i())
        case .impegnoReimputato:
            return .impegnoReimputato(impegno: try r.s("impegno"), importo: try r.i(), esercizio: try r.n("esercizio"), numero: try r.s("numero"))
        case .accertamentoRegistrato:
            return .accertamentoRegistrato(numero: try r.s("numero"), fonte: try r.s("fonte"), esercizio: try r.n("esercizio"), importo: try r.i(),
                                           debitore: try r.s("debitore"))
        case .accertamentoRidotto: return .accertamentoRidotto(accertamento: try r.s("accertamento"), importo: try r.i(), motivo: try r.s("motivo"))
        case .riscossioneRegistrata:
            return .riscossioneRegistrata(reversale: try r.s("reversale"), accertamento: try r.s("accertamento"), importo: try r.i(), documento: r.o("documento"))
        case .residuoAttivoRiportato:
            return .residuoAttivoRiportato(accertamento: try r.s("accertamento"), annoProvenienza: try r.n("anno_provenienza"), importo: try r.i())
        case .scadenzaFissata, .scadenzaProrogata, .scadenzaRevocata, .rendicontazioneInviata:
            return try decodificaScadenze(t, r)
        }
    }
}

extension EventoRegistrato {
    /// The `esporta` object without `hash` (DOMAIN §6): the input of the chain hash.
    public static func oggettoSenzaHash(seq: Int64, tipo: String, versione: Int, data: DataContabile, registratoIl: String,
                                        utente: String, chiave: String?, atto: String?, payload: ValoreJSON) -> ValoreJSON {
        .oggetto([
            "seq": .intero(seq), "tipo": .stringa(tipo), "versione": .intero(Int64(versione)),
            "data": .stringa(data.description), "registrato_il": .stringa(registratoIl), "utente": .stringa(utente),
            "chiave": chiave.map(ValoreJSON.stringa) ?? .nullo, "atto": atto.map(ValoreJSON.stringa) ?? .nullo,
            "payload": payload,
        ])
    }

    /// The `esporta` object (DOMAIN §7), hash included.
    public var oggettoEsportato: ValoreJSON {
        guard case var .oggetto(campi) = Self.oggettoSenzaHash(
            seq: seq, tipo: evento.tipo, versione: versione, data: data, registratoIl: registratoIl,
            utente: utente, chiave: chiave, atto: atto, payload: evento.payload)
        else { preconditionFailure("oggettoSenzaHash returns an object") }
        campi["hash"] = .stringa(hash)
        return .oggetto(campi)
    }
}

/// The typed reads of a stored payload's fields; each missing or out-of-range field names the event type.
struct LettorePayload {
    let tipo: String
    let p: CampiPayload

    func s(_ k: String) throws(ErroreDecodifica) -> String {
        guard let v = p[k]?.stringa else { throw ErroreDecodifica("\(tipo): campo '\(k)' mancante") }
        return v
    }
    func o(_ k: String) -> String? { p[k]?.stringa }
    func n(_ k: String) throws(ErroreDecodifica) -> Int {
        guard let v = p[k]?.intero, let i = Int(exactly: v) else { throw ErroreDecodifica("\(tipo): campo '\(k)' mancante") }
        return i
    }
    func c(_ k: String) throws(ErroreDecodifica) -> Int64 {
        guard let v = p[k]?.intero else { throw ErroreDecodifica("\(tipo): campo '\(k)' mancante") }
        return v
    }
    func i() throws(ErroreDecodifica) -> Importo {
        let v = try c("importo")
        guard v > 0, v <= Importo.centesimiMax else { throw ErroreDecodifica("\(tipo): importo \(v) fuori dai limiti") }
        return Importo(centesimi: v)
    }
    func d(_ k: String) throws(ErroreDecodifica) -> DataContabile {
        guard let d = DataContabile(testo: try s(k)) else { throw ErroreDecodifica("\(tipo): campo '\(k)' non è una data") }
        return d
    }
    func nOpzionale(_ k: String) throws(ErroreDecodifica) -> Int? { p[k]?.intero == nil ? nil : try n(k) }
    func dOpzionale(_ k: String) throws(ErroreDecodifica) -> DataContabile? { o(k) == nil ? nil : try d(k) }
    func l() throws(ErroreDecodifica) -> LineaChiave {
        LineaChiave(fonte: try s("fonte"), servizio: try s("servizio"), esercizio: try n("esercizio"))
    }
}

extension Evento {
    /// The payload of the events of DOMAIN §10.
    var campiScadenze: [(String, ValoreJSON)] {
        var p: [(String, ValoreJSON)] = []
        func s(_ k: String, _ v: String) { p.append((k, .stringa(v))) }
        switch self {
        case let .scadenzaFissata(numero, fonte, tipo, termine, soglia, base, destinatario, copertura):
            // Every field is written, null where it does not apply to the tipo (DOMAIN §10.1).
            s("numero", numero); s("fonte", fonte); s("tipo", tipo.rawValue); s("termine", termine.description)
            p.append(("soglia", soglia.map { .intero(Int64($0)) } ?? .nullo)); p.append(("base", base.map { .stringa($0.rawValue) } ?? .nullo))
            p.append(("destinatario", destinatario.map(ValoreJSON.stringa) ?? .nullo))
            p.append(("copertura", copertura.map { .stringa($0.description) } ?? .nullo))
        case let .scadenzaProrogata(scadenza, termine, motivo):
            s("scadenza", scadenza); s("termine", termine.description); s("motivo", motivo)
        case let .scadenzaRevocata(scadenza, motivo):
            s("scadenza", scadenza); s("motivo", motivo)
        case let .rendicontazioneInviata(numero, destinatario, al, righe, motivo):
            s("numero", numero); s("destinatario", destinatario); s("al", al.description); p.append(("righe", .lista(righe.map(\.json))))
            p.append(("motivo", motivo.map(ValoreJSON.stringa) ?? .nullo))
        default:
            preconditionFailure("campiScadenze: \(tipo)")
        }
        return p
    }

    static func decodificaScadenze(_ t: TipoEvento, _ r: LettorePayload) throws(ErroreDecodifica) -> Evento {
        let tipo = t.rawValue
        switch t {
        case .scadenzaFissata:
            guard let tipoScadenza = TipoScadenza(rawValue: try r.s("tipo")) else { throw ErroreDecodifica("\(tipo): tipo sconosciuto") }
            return .scadenzaFissata(numero: try r.s("numero"), fonte: try r.s("fonte"), tipo: tipoScadenza, termine: try r.d("termine"),
                                    soglia: try r.nOpzionale("soglia"), base: try r.o("base").map { (b) throws(ErroreDecodifica) -> BaseScadenza in
                                        guard let base = BaseScadenza(rawValue: b) else { throw ErroreDecodifica("\(tipo): base sconosciuta") }
                                        return base
                                    },
                                    destinatario: r.o("destinatario"), copertura: try r.dOpzionale("copertura"))
        case .scadenzaProrogata: return .scadenzaProrogata(scadenza: try r.s("scadenza"), termine: try r.d("termine"), motivo: try r.s("motivo"))
        case .scadenzaRevocata: return .scadenzaRevocata(scadenza: try r.s("scadenza"), motivo: try r.s("motivo"))
        case .rendicontazioneInviata:
            guard case let .lista(l)? = r.p["righe"] else { throw ErroreDecodifica("\(tipo): campo 'righe' mancante") }
            let righe = l.compactMap(RigaRendicontazione.init(json:))
            guard righe.count == l.count else { throw ErroreDecodifica("\(tipo): righe illeggibili") }
            return .rendicontazioneInviata(numero: try r.s("numero"), destinatario: try r.s("destinatario"), al: try r.d("al"), righe: righe,
                                           motivo: r.o("motivo"))
        default:
            preconditionFailure("decodificaScadenze: \(tipo)")
        }
    }
}
