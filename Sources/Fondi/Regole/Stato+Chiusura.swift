/// What a closing computes at 31/12/N (DOMAIN §5), before it becomes events.
public struct PianoChiusura: Equatable, Sendable {
    public let esercizio: Int
    /// Impegni of esercizio ≤ N with `da_pagare` at 31/12/N > 0, in impegno order.
    public let residui: [(impegno: String, annoProvenienza: Int, importo: Int64)]
    /// Lines of N with programmato − impegnato > 0, in key order.
    public let economie: [(linea: LineaChiave, importo: Int64)]

    public static func == (l: PianoChiusura, r: PianoChiusura) -> Bool {
        l.esercizio == r.esercizio
            && l.residui.map { "\($0.impegno)|\($0.annoProvenienza)|\($0.importo)" } == r.residui.map { "\($0.impegno)|\($0.annoProvenienza)|\($0.importo)" }
            && l.economie.map { "\($0.linea)|\($0.importo)" } == r.economie.map { "\($0.linea)|\($0.importo)" }
    }

    public var totaleResidui: Int64 { residui.reduce(0) { $0 + $1.importo } }
    public var totaleEconomie: Int64 { economie.reduce(0) { $0 + $1.importo } }

    /// The canonical document whose SHA-256 `EsercizioChiuso` carries: the closing's figures at 31/12/N.
    public var documento: ValoreJSON {
        .oggetto([
            "esercizio": .intero(Int64(esercizio)),
            "residui": .lista(residui.map {
                .oggetto(["impegno": .stringa($0.impegno), "anno_provenienza": .intero(Int64($0.annoProvenienza)), "importo": .intero($0.importo)])
            }),
            "economie": .lista(economie.map {
                .oggetto(["fonte": .stringa($0.linea.fonte), "servizio": .stringa($0.linea.servizio),
                          "esercizio": .intero(Int64($0.linea.esercizio)), "importo": .intero($0.importo)])
            }),
        ])
    }
}

extension Stato {
    /// The residui and economie of esercizio N as of 31/12/N. Payments and eliminazioni dated after
    /// 31/12/N are added back: the closing records the situation at year end, whenever it is run.
    ///
    /// Needs in the state: every impegno of esercizio ≤ N whose `da_pagare` at 31/12/N may be > 0, every
    /// mandato dated after 31/12/N with its liquidazione, every eliminazione, every linea of N.
    /// - Complexity: O(impegni + mandati + linee).
    public func pianoChiusura(_ esercizio: Int) -> PianoChiusura {
        let fine = DataContabile.fineEsercizio(esercizio)
        var pagatoDopo: [String: Int64] = [:]
        for m in mandati.values where m.data > fine {
            guard let l = liquidazioni[m.liquidazione] else { preconditionFailure("mandato \(m.numero) senza liquidazione") }
            pagatoDopo[l.impegno, default: 0] += m.importo
        }
        var residui: [(impegno: String, annoProvenienza: Int, importo: Int64)] = []
        for i in impegni.values where i.linea.esercizio <= esercizio {
            let eliminatoDopo = eliminazioni[i.numero]?.filter { $0.data > fine }.reduce(0) { $0 + $1.importo } ?? 0
            let daPagare = i.daPagare + eliminatoDopo + (pagatoDopo[i.numero] ?? 0)
            if daPagare > 0 { residui.append((i.numero, i.linea.esercizio, daPagare)) }
        }
        residui = OrdineImpegni.ordina(residui) { ($0.annoProvenienza, $0.impegno) }
        let economie = linee.values
            .filter { $0.chiave.esercizio == esercizio && $0.programmato > $0.impegnato }
            .sorted { $0.chiave < $1.chiave }
            .map { (linea: $0.chiave, importo: $0.programmato - $0.impegnato) }
        return PianoChiusura(esercizio: esercizio, residui: residui, economie: economie)
    }

    func decidiChiusura(_ esercizio: Int, data: DataContabile, impronta: ([UInt8]) -> String) throws(Rifiuto) -> [Evento] {
        try Validazione.anno(esercizio, campo: "esercizio")
        if let e = esercizi[esercizio], let il = e.chiusoIl {
            throw Rifiuto(regola: "4.9", "esercizio \(esercizio) già chiuso il \(il)")
        }
        guard data > DataContabile.fineEsercizio(esercizio) else {
            throw Rifiuto(regola: "4.9", "chiusura dell'esercizio \(esercizio): la data \(data) deve essere successiva al 31/12/\(esercizio)")
        }
        if let aperto = esercizi.values.filter({ $0.anno < esercizio && !$0.chiuso }).map(\.anno).min() {
            throw Rifiuto(regola: "4.9", "esercizio \(esercizio) non chiudibile: l'esercizio \(aperto) ha linee ed è ancora aperto; chiudi prima il \(aperto)")
        }
        let piano = pianoChiusura(esercizio)
        var eventi: [Evento] = piano.residui.map {
            .residuoRiportato(impegno: $0.impegno, annoProvenienza: $0.annoProvenienza, importo: Importo(centesimi: $0.importo))
        }
        eventi += piano.economie.map { .economiaRilevata(linea: $0.linea, importo: Importo(centesimi: $0.importo)) }
        eventi.append(.esercizioChiuso(esercizio: esercizio, economie: piano.totaleEconomie, residuiPassivi: piano.totaleResidui,
                                       digest: impronta(piano.documento.canonico)))
        return eventi
    }
}

/// The order of impegni in every listing (DOMAIN §7): by esercizio, then by the integer after `/` in
/// `YYYY/N` numbers, else by text.
public enum OrdineImpegni {
    /// Sorts by (esercizio, progressivo or text), computing each key once.
    /// - Complexity: O(n log n) comparisons of precomputed keys.
    public static func ordina<T>(_ elementi: [T], chiave: (T) -> (esercizio: Int, numero: String)) -> [T] {
        elementi.map { e -> (Int, Int, String, T) in
            let k = chiave(e)
            return (k.esercizio, progressivo(k.numero) ?? Int.max, k.numero, e)
        }
        .sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        .map(\.3)
    }

    /// The N of `YYYY/N`, when the number has that shape.
    static func progressivo(_ numero: String) -> Int? {
        let parti = numero.split(separator: "/", omittingEmptySubsequences: false)
        guard parti.count == 2, parti[0].count == 4, parti[0].allSatisfy(\.isASCII), Int(parti[0]) != nil,
              !parti[1].isEmpty, parti[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(parti[1])
    }
}
