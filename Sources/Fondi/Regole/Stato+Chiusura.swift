/// What a closing computes at 31/12/N (DOMAIN §5, §9), before it becomes events.
public struct PianoChiusura: Equatable, Sendable {
    public typealias Residuo = (impegno: String, annoProvenienza: Int, importo: Int64)
    public typealias ResiduoAttivo = (accertamento: String, annoProvenienza: Int, importo: Int64)

    public let esercizio: Int
    /// Impegni of esercizio ≤ N with `da_pagare` at 31/12/N > 0, in impegno order.
    public let residui: [Residuo]
    /// Lines of N with programmato − impegnato > 0, in key order.
    public let economie: [(linea: LineaChiave, importo: Int64)]
    /// Prenotazioni of N with `da_impegnare` > 0, in number order: they lapse (DOMAIN §9.1).
    public let prenotazioniDecadute: [(prenotazione: String, importo: Int64)]
    /// Accertamenti of esercizio ≤ N with `da_riscuotere` at 31/12/N > 0, in number order (DOMAIN §9.3).
    public let residuiAttivi: [ResiduoAttivo]
    /// Σ fpv di spesa of N's lines: what the riaccertamento reimputed out of N (DOMAIN §9.2).
    public let fpv: Int64

    public static func == (l: PianoChiusura, r: PianoChiusura) -> Bool {
        l.esercizio == r.esercizio && l.fpv == r.fpv
            && l.residui.map { "\($0.impegno)|\($0.annoProvenienza)|\($0.importo)" } == r.residui.map { "\($0.impegno)|\($0.annoProvenienza)|\($0.importo)" }
            && l.economie.map { "\($0.linea)|\($0.importo)" } == r.economie.map { "\($0.linea)|\($0.importo)" }
            && l.prenotazioniDecadute.map { "\($0.prenotazione)|\($0.importo)" } == r.prenotazioniDecadute.map { "\($0.prenotazione)|\($0.importo)" }
            && l.residuiAttivi.map { "\($0.accertamento)|\($0.annoProvenienza)|\($0.importo)" }
                == r.residuiAttivi.map { "\($0.accertamento)|\($0.annoProvenienza)|\($0.importo)" }
    }

    public var totali: TotaliChiusura {
        TotaliChiusura(economie: economie.reduce(0) { $0 + $1.importo }, residuiPassivi: residui.reduce(0) { $0 + $1.importo },
                       armonizzati: .init(fpv: fpv, prenotazioniDecadute: prenotazioniDecadute.reduce(0) { $0 + $1.importo },
                                          residuiAttivi: residuiAttivi.reduce(0) { $0 + $1.importo }))
    }

    /// The canonical document whose SHA-256 `EsercizioChiuso` carries: the closing's figures at 31/12/N, the
    /// canonical JSON of `{"economie":[…],"esercizio":N,"fpv":X,"prenotazioni_decadute":[…],"residui":[…],
    /// "residui_attivi":[…]}`, written entry by entry: a closing of many residui builds no tree of them.
    public var documentoCanonico: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(72 * (numeroEventi - 1) + 128)
        ValoreJSON.scriviOggetto([
            "economie": { ValoreJSON.scriviLista(economie, into: &$0) {
                .oggetto(["fonte": .stringa($0.linea.fonte), "servizio": .stringa($0.linea.servizio),
                          "esercizio": .intero(Int64($0.linea.esercizio)), "importo": .intero($0.importo)])
            } },
            "esercizio": { ValoreJSON.intero(Int64(esercizio)).scriviCanonico(into: &$0) },
            "fpv": { ValoreJSON.intero(fpv).scriviCanonico(into: &$0) },
            "prenotazioni_decadute": { ValoreJSON.scriviLista(prenotazioniDecadute, into: &$0) {
                .oggetto(["prenotazione": .stringa($0.prenotazione), "importo": .intero($0.importo)])
            } },
            "residui": { ValoreJSON.scriviLista(residui, into: &$0) {
                .oggetto(["impegno": .stringa($0.impegno), "anno_provenienza": .intero(Int64($0.annoProvenienza)), "importo": .intero($0.importo)])
            } },
            "residui_attivi": { ValoreJSON.scriviLista(residuiAttivi, into: &$0) {
                .oggetto(["accertamento": .stringa($0.accertamento), "anno_provenienza": .intero(Int64($0.annoProvenienza)), "importo": .intero($0.importo)])
            } },
        ], into: &out)
        return out
    }

    /// How many events the closing appends.
    public var numeroEventi: Int { residui.count + economie.count + prenotazioniDecadute.count + residuiAttivi.count + 1 }

    /// The closing's events in order (DOMAIN §5, §9): residui passivi, economie, prenotazioni decadute, residui
    /// attivi, then `EsercizioChiuso` with the totals and the digest of `documentoCanonico`. Made one at a time
    /// as they are read, so a store appends a large closing without holding its events.
    public func eventi(impronta: ([UInt8]) -> String) -> FlattenSequence<[AnySequence<Evento>]> {
        let chiuso = Evento.esercizioChiuso(esercizio: esercizio, totali: totali, digest: impronta(documentoCanonico))
        return [
            AnySequence(residui.lazy.map {
                .residuoRiportato(impegno: $0.impegno, annoProvenienza: $0.annoProvenienza, importo: Importo(centesimi: $0.importo))
            }),
            AnySequence(economie.lazy.map { .economiaRilevata(linea: $0.linea, importo: Importo(centesimi: $0.importo)) }),
            AnySequence(prenotazioniDecadute.lazy.map { .prenotazioneDecaduta(prenotazione: $0.prenotazione, importo: Importo(centesimi: $0.importo)) }),
            AnySequence(residuiAttivi.lazy.map {
                .residuoAttivoRiportato(accertamento: $0.accertamento, annoProvenienza: $0.annoProvenienza, importo: Importo(centesimi: $0.importo))
            }),
            AnySequence(CollectionOfOne(chiuso)),
        ].joined()
    }
}

extension Stato {
    /// The figures of the closing of N as of 31/12/N, after N's riaccertamento (DOMAIN §5, §9.2): every
    /// reimputazione and eliminazione recorded so far counts, whatever its date; pagamenti, riscossioni and
    /// riduzioni of accertamenti dated after 31/12/N are added back.
    ///
    /// Needs in the state: every impegno of esercizio ≤ N whose `da_pagare` at 31/12/N may be > 0, every
    /// mandato dated after 31/12/N with its liquidazione, every linea and prenotazione of N, every accertamento
    /// of esercizio ≤ N whose `da_riscuotere` at 31/12/N may be > 0, with its riscossioni and riduzioni dated
    /// after 31/12/N.
    /// - Complexity: O(impegni + mandati + linee + prenotazioni + accertamenti).
    public func pianoChiusura(_ esercizio: Int) -> PianoChiusura {
        pianoChiusura(esercizio, impegniFuori: { (_: (Impegno) -> Void) throws(Never) in })
    }

    /// `pianoChiusura(_:)` with some of the impegni outside the state: `impegniFuori` hands each of them to the
    /// function it is given, once. A store passes there the impegni with `da_pagare` > 0 read from its tables
    /// row by row, none of them in the state, so a year of many open impegni is never held whole (the state
    /// still holds the mandati dated after 31/12/N with their liquidazioni and impegni).
    public func pianoChiusura<E: Error>(_ esercizio: Int, impegniFuori: ((Impegno) -> Void) throws(E) -> Void) throws(E) -> PianoChiusura {
        let fine = DataContabile.fineEsercizio(esercizio)
        var pagatoDopo: [String: Int64] = [:]
        for m in mandati.values where m.data > fine {
            guard let l = liquidazioni[m.liquidazione] else { preconditionFailure("mandato \(m.numero) senza liquidazione") }
            pagatoDopo[l.impegno, default: 0] += m.importo
        }
        var residui: [PianoChiusura.Residuo] = []
        func considera(_ i: Impegno) {
            guard i.linea.esercizio <= esercizio else { return }
            let daPagare = i.daPagare + (pagatoDopo[i.numero] ?? 0)
            if daPagare > 0 { residui.append((i.numero, i.linea.esercizio, daPagare)) }
        }
        for i in impegni.values { considera(i) }
        try impegniFuori { i in
            assert(impegni[i.numero] == nil, "impegno \(i.numero) dato due volte alla chiusura")
            considera(i)
        }
        residui = OrdineImpegni.ordina(residui) { ($0.annoProvenienza, $0.impegno) }
        let lineeN = linee.values.filter { $0.chiave.esercizio == esercizio }
        let economie = lineeN
            .filter { $0.programmato > $0.impegnato }
            .sorted { $0.chiave < $1.chiave }
            .map { (linea: $0.chiave, importo: $0.programmato - $0.impegnato) }
        let decadute = OrdineImpegni.ordina(prenotazioni.values.filter { $0.linea.esercizio == esercizio && $0.daImpegnare > 0 }) {
            ($0.linea.esercizio, $0.numero)
        }.map { (prenotazione: $0.numero, importo: $0.daImpegnare) }
        return PianoChiusura(esercizio: esercizio, residui: residui, economie: economie, prenotazioniDecadute: decadute,
                             residuiAttivi: residuiAttivi(esercizio), fpv: lineeN.reduce(0) { $0 + $1.fpvSpesa })
    }

    /// Accertamenti of esercizio ≤ N with `da_riscuotere` at 31/12/N > 0 (riscossioni and riduzioni dated after
    /// 31/12/N added back), in number order.
    private func residuiAttivi(_ esercizio: Int) -> [PianoChiusura.ResiduoAttivo] {
        let fine = DataContabile.fineEsercizio(esercizio)
        var riscossoDopo: [String: Int64] = [:]
        for r in riscossioni.values where r.data > fine { riscossoDopo[r.accertamento, default: 0] += r.importo }
        for (a, lista) in riduzioniAccertamento { for r in lista where r.data > fine { riscossoDopo[a, default: 0] += r.importo } }
        var attivi: [PianoChiusura.ResiduoAttivo] = []
        for a in accertamenti.values where a.esercizio <= esercizio {
            let daRiscuotere = a.daRiscuotere + (riscossoDopo[a.numero] ?? 0)
            if daRiscuotere > 0 { attivi.append((a.numero, a.esercizio, daRiscuotere)) }
        }
        return OrdineImpegni.ordina(attivi) { ($0.annoProvenienza, $0.accertamento) }
    }

    /// The rules a closing of N must meet before anything is computed (DOMAIN §4.9): `decidi(.chiudi)` checks
    /// them, and a store that computes the plan itself (`pianoChiusura(_:impegniFuori:)`) calls this after `ammetti`.
    public func verificaChiusura(_ esercizio: Int, data: DataContabile) throws(Rifiuto) {
        try Validazione.anno(esercizio, campo: "esercizio")
        if let e = esercizi[esercizio], let il = e.chiusoIl {
            throw Rifiuto(regola: "4.9", "esercizio \(esercizio) già chiuso il \(il)")
        }
        guard data > DataContabile.fineEsercizio(esercizio) else {
            throw Rifiuto(regola: "4.9", "chiusura dell'esercizio \(esercizio): la data \(data) deve essere successiva al 31/12/\(esercizio)")
        }
        if let aperto = esercizi.values.filter({ $0.anno < esercizio && !$0.chiuso }).map(\.anno).min() {
            throw Rifiuto(regola: "4.9", "esercizio \(esercizio) non chiudibile: l'esercizio \(aperto) ha linee o accertamenti ed è ancora aperto; chiudi prima il \(aperto)")
        }
    }

    func decidiChiusura(_ esercizio: Int, data: DataContabile, impronta: ([UInt8]) -> String) throws(Rifiuto) -> [Evento] {
        try verificaChiusura(esercizio, data: data)
        let piano = pianoChiusura(esercizio)
        var eventi: [Evento] = []
        eventi.reserveCapacity(piano.numeroEventi)
        eventi.append(contentsOf: piano.eventi(impronta: impronta))
        return eventi
    }

    /// What `chiudi --prova` lists besides the events (DOMAIN §9.2): impegni of N with something still to
    /// liquidate that the riaccertamento left untouched (neither reimputed nor eliminated), candidates to
    /// reimputare or eliminare. Needs the impegni of N with `da_liquidare` > 0 and the eliminazioni.
    public func candidatiRiaccertamento(_ esercizio: Int) -> [Impegno] {
        Self.candidatiRiaccertamento(esercizio, tra: Array(impegni.values))
    }

    /// `candidatiRiaccertamento(_:)` among impegni read outside a state (a store's query), none twice;
    /// filtered in place, so a large year is held twice at most (read, and in order).
    public static func candidatiRiaccertamento(_ esercizio: Int, tra impegni: consuming [Impegno]) -> [Impegno] {
        impegni.removeAll { !($0.linea.esercizio == esercizio && $0.daLiquidare > 0 && $0.reimputato == 0 && $0.eliminato == 0) }
        return OrdineImpegni.ordina(impegni) { ($0.linea.esercizio, $0.numero) }
    }
}

/// The order of impegni in every listing (DOMAIN §7): by esercizio, then by the integer after `/` in
/// `YYYY/N` numbers, else by text.
public enum OrdineImpegni {
    /// Sorts by (esercizio, progressivo or text), computing each key once.
    /// - Complexity: O(n log n) comparisons of precomputed keys; sorts positions, so large elements are
    ///   copied once.
    public static func ordina<T>(_ elementi: [T], chiave: (T) -> (esercizio: Int, numero: String)) -> [T] {
        let chiavi = elementi.map { e -> (Int, Int, String) in
            let k = chiave(e)
            return (k.esercizio, progressivo(k.numero) ?? Int.max, k.numero)
        }
        return chiavi.indices.sorted { chiavi[$0] < chiavi[$1] }.map { elementi[$0] }
    }

    /// The N of `YYYY/N`, when the number has that shape.
    static func progressivo(_ numero: String) -> Int? {
        let parti = numero.split(separator: "/", omittingEmptySubsequences: false)
        guard parti.count == 2, parti[0].count == 4, parti[0].allSatisfy(\.isASCII), Int(parti[0]) != nil,
              !parti[1].isEmpty, parti[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(parti[1])
    }
}
