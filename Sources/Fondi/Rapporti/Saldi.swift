/// How `saldi` groups its rows (DOMAIN §7).
public enum Raggruppamento: String, Sendable, CaseIterable {
    case linea, fonte, servizio, esercizio
    /// DOMAIN §9.3: what each debitore (a Comune, the Region) owes of its accertamenti.
    case debitore
}

/// Restricts reports to one fonte, servizio or esercizio (DOMAIN §7).
public struct Filtri: Equatable, Sendable {
    public var fonte: String?
    public var servizio: String?
    public var esercizio: Int?
    public init(fonte: String? = nil, servizio: String? = nil, esercizio: Int? = nil) {
        self.fonte = fonte
        self.servizio = servizio
        self.esercizio = esercizio
    }

    func include(_ k: LineaChiave) -> Bool {
        (fonte == nil || fonte == k.fonte) && (servizio == nil || servizio == k.servizio) && (esercizio == nil || esercizio == k.esercizio)
    }
}

/// The sums of a set of lines.
struct Somme {
    var programmato: Int64 = 0, impegnato: Int64 = 0, liquidato: Int64 = 0, pagato: Int64 = 0
    var disponibile: Int64 = 0, economie: Int64 = 0, residuiPassivi: Int64 = 0
    var prenotato: Int64 = 0, fpvEntrata: Int64 = 0, fpvSpesa: Int64 = 0

    /// One lookup of the esercizio per linea: reports add up every linea of the ledger.
    mutating func aggiungi(_ l: Linea, _ stato: Stato) {
        programmato += l.programmato
        impegnato += l.impegnato
        liquidato += l.liquidato
        pagato += l.pagato
        fpvEntrata += l.fpvEntrata
        fpvSpesa += l.fpvSpesa
        if stato.chiuso(l.chiave.esercizio) {
            economie += l.programmato - l.impegnato
            residuiPassivi += l.impegnato - l.pagato
        } else {
            disponibile += l.programmato - l.impegnato - l.prenotazioni
            prenotato += l.prenotazioni
        }
    }

    var celleLinea: [Cella] {
        [.importo(programmato), .importo(impegnato), .importo(liquidato), .importo(pagato), .importo(disponibile), .importo(economie),
         .importo(prenotato), .importo(fpvEntrata), .importo(fpvSpesa)]
    }
}

extension Stato {
    // DOMAIN §9.4: the new columns follow those of §7, which keep their places.
    static let colonneSomme = ["programmato", "impegnato", "liquidato", "pagato", "disponibile", "economie", "prenotato", "fpv_entrata", "fpv_spesa"]
    static let colonneImportoFonte = ["assegnato", "programmato", "impegnato", "liquidato", "pagato", "residui_passivi", "economie", "libero",
                                      "prenotato", "fpv_entrata", "fpv_spesa", "accertato", "riscosso", "da_riscuotere", "residui_attivi", "cassa"]
    static let colonneFonte = ["fonte", "tipo", "annualita", "atto", "vincolata"] + colonneImportoFonte

    /// `fondi saldi --per …`: rows ordered by their key.
    /// - Complexity: O(linee log linee).
    public func saldi(per: Raggruppamento, filtri: Filtri) -> Tabella {
        let scelte = linee.values.filter { filtri.include($0.chiave) }
        switch per {
        case .linea:
            var t = Tabella(nome: "righe", colonne: ["fonte", "servizio", "esercizio"] + Self.colonneSomme)
            for l in scelte.sorted(by: { $0.chiave < $1.chiave }) {
                var s = Somme()
                s.aggiungi(l, self)
                t.righe.append([.testo(l.chiave.fonte), .testo(l.chiave.servizio), .intero(Int64(l.chiave.esercizio))] + s.celleLinea)
            }
            return t
        case .fonte:
            return Tabella(nome: "righe", colonne: Self.colonneFonte, righe: righeFonte(filtri: filtri))
        case .servizio:
            var somme: [String: Somme] = [:]
            for l in scelte { somme[l.chiave.servizio, default: Somme()].aggiungi(l, self) }
            var t = Tabella(nome: "righe", colonne: ["servizio"] + Self.colonneSomme)
            for codice in servizi.keys.sorted() where filtri.servizio == nil || filtri.servizio == codice {
                t.righe.append([.testo(codice)] + (somme[codice] ?? Somme()).celleLinea)
            }
            return t
        case .esercizio:
            var somme: [Int: Somme] = [:]
            for l in scelte { somme[l.chiave.esercizio, default: Somme()].aggiungi(l, self) }
            let anni = Set(linee.keys.map(\.esercizio)).filter { filtri.esercizio == nil || filtri.esercizio == $0 }
            var t = Tabella(nome: "righe", colonne: ["esercizio"] + Self.colonneSomme)
            for anno in anni.sorted() { t.righe.append([.intero(Int64(anno))] + (somme[anno] ?? Somme()).celleLinea) }
            return t
        case .debitore:
            var somme: [String: (accertato: Int64, riscosso: Int64)] = [:]
            for a in accertamenti.values where (filtri.fonte == nil || filtri.fonte == a.fonte) && (filtri.esercizio == nil || filtri.esercizio == a.esercizio) {
                somme[a.debitore, default: (0, 0)].accertato += a.accertato
                somme[a.debitore, default: (0, 0)].riscosso += a.riscosso
            }
            var t = Tabella(nome: "righe", colonne: ["debitore", "accertato", "riscosso", "da_riscuotere"])
            for d in somme.keys.sorted() {
                let x = somme[d]!
                t.righe.append([.testo(d), .importo(x.accertato), .importo(x.riscosso), .importo(x.accertato - x.riscosso)])
            }
            return t
        }
    }

    /// Per fonte, over the whole fonte whatever the filters (DOMAIN §9.4): pagato (for cassa) and residui
    /// attivi. Needs every linea and every accertamento with something to collect.
    func entrateFonte(solo: Set<String>? = nil) -> (pagato: [String: Int64], residuiAttivi: [String: Int64]) {
        var pagato: [String: Int64] = [:], attivi: [String: Int64] = [:]
        for l in linee.values where l.pagato > 0 && solo?.contains(l.chiave.fonte) != false { pagato[l.chiave.fonte, default: 0] += l.pagato }
        for a in accertamenti.values where a.daRiscuotere > 0 && chiuso(a.esercizio) { attivi[a.fonte, default: 0] += a.daRiscuotere }
        return (pagato, attivi)
    }

    /// Fonti that follow the entrate side (they have accertamenti) whose cassa (riscosso − pagato) is below
    /// zero: the capofila is advancing money. Shown and flagged, never refused (DOMAIN §9.3). A fonte with no
    /// accertamento at all has its entrate kept elsewhere: its column still shows riscosso − pagato, but it is
    /// not flagged (ADR 0014).
    public func cassaNegativa() -> [(fonte: String, cassa: Int64)] {
        let seguite = Set(accertamenti.values.map(\.fonte))
        if seguite.isEmpty { return [] }
        let pagato = entrateFonte(solo: seguite).pagato
        return fonti.keys.sorted().filter(seguite.contains).compactMap { c in
            let cassa = fonti[c]!.riscosso - (pagato[c] ?? 0)
            return cassa < 0 ? (c, cassa) : nil
        }
    }

    /// One row per registered fonte (restricted by `--fonte`): line sums restricted by the filters;
    /// `assegnato` and `libero` always cover the whole fonte (DOMAIN §7).
    func righeFonte(filtri: Filtri) -> [[Cella]] {
        var somme: [String: Somme] = [:]
        for l in linee.values where filtri.include(l.chiave) { somme[l.chiave.fonte, default: Somme()].aggiungi(l, self) }
        let entrate = entrateFonte()
        return fonti.keys.sorted().filter { filtri.fonte == nil || filtri.fonte == $0 }.map { codice in
            let f = fonti[codice]!
            let s = somme[codice] ?? Somme()
            return [.testo(codice), .testo(f.tipo), .intero(Int64(f.annualita)), f.atto.map(Cella.testo) ?? .nullo,
                    .booleano(f.vincolata), .importo(f.assegnato), .importo(s.programmato), .importo(s.impegnato),
                    .importo(s.liquidato), .importo(s.pagato), .importo(s.residuiPassivi), .importo(s.economie), .importo(f.libero),
                    .importo(s.prenotato), .importo(s.fpvEntrata), .importo(s.fpvSpesa), .importo(f.accertato), .importo(f.riscosso),
                    .importo(f.daRiscuotere), .importo(entrate.residuiAttivi[codice] ?? 0), .importo(f.riscosso - (entrate.pagato[codice] ?? 0))]
        }
    }

    /// `fondi residui`: per fonte the disponibile da riportare (`libero`) and residui passivi; per impegno
    /// every impegno with `da_pagare > 0`, open esercizi included (DOMAIN §7). Never summed together.
    /// Needs every impegno with `da_pagare > 0` in the state.
    public func residui(filtri: Filtri) -> [Tabella] {
        let fontiTabella = Tabella(nome: "fonti", colonne: Self.colonneFonte, righe: righeFonte(filtri: filtri))
        var impegniTabella = Tabella(nome: "impegni", colonne: ["impegno", "fonte", "servizio", "esercizio", "anno_provenienza",
                                                               "creditore", "impegnato", "liquidato", "pagato", "da_liquidare", "da_pagare"])
        let scelti = OrdineImpegni.ordina(impegni.values.filter { $0.daPagare > 0 && filtri.include($0.linea) }) {
            ($0.linea.esercizio, $0.numero)
        }
        for i in scelti {
            impegniTabella.righe.append([
                .testo(i.numero), .testo(i.linea.fonte), .testo(i.linea.servizio), .intero(Int64(i.linea.esercizio)),
                .intero(Int64(i.linea.esercizio)), .testo(i.creditore), .importo(i.impegnato), .importo(i.liquidato),
                .importo(i.pagato), .importo(i.daLiquidare), .importo(i.daPagare),
            ])
        }
        var attivi = Tabella(nome: "attivi", colonne: ["accertamento", "fonte", "esercizio", "anno_provenienza", "debitore",
                                                       "accertato", "riscosso", "da_riscuotere"])
        let aperti = OrdineImpegni.ordina(accertamenti.values.filter {
            $0.daRiscuotere > 0 && (filtri.fonte == nil || filtri.fonte == $0.fonte) && (filtri.esercizio == nil || filtri.esercizio == $0.esercizio)
        }) { ($0.esercizio, $0.numero) }
        for a in aperti {
            attivi.righe.append([.testo(a.numero), .testo(a.fonte), .intero(Int64(a.esercizio)), .intero(Int64(a.esercizio)), .testo(a.debitore),
                                 .importo(a.accertato), .importo(a.riscosso), .importo(a.daRiscuotere)])
        }
        return [fontiTabella, impegniTabella, attivi]
    }
}

extension Stato {
    /// `fondi prospetto`: the report an Ufficio di Piano sends to the Region. Per fonte, with its atto di
    /// assegnazione: assegnato, programmato, impegnato, liquidato, pagato, residui passivi, economie and
    /// disponibile da riportare (`libero`), then one row of totals. Residui passivi (owed to creditors)
    /// and libero (free to reprogram) stay in separate columns and are never added together.
    public func prospetto(filtri: Filtri) -> [Tabella] {
        let righe = righeFonte(filtri: filtri)
        let colonne = Self.colonneImportoFonte
        var totali = [Int64](repeating: 0, count: colonne.count)
        for r in righe {
            for (i, c) in r[5...].enumerated() { if case let .importo(v) = c { totali[i] += v } }
        }
        return [
            Tabella(nome: "fonti", colonne: Self.colonneFonte, righe: righe),
            Tabella(nome: "totale", colonne: ["fonti"] + colonne, righe: [[.intero(Int64(righe.count))] + totali.map(Cella.importo)]),
        ]
    }
}
