#include "mailpath/app/catalog.h"

#include "mailpath/process/process_collector.h"

namespace mailpath::app {

std::vector<CatalogEntry> Catalog() {
  return {
      {{"process", "The exporter's own CPU, memory and file descriptors (process_*).", true},
       [](const Options& o, Logger&, Lifecycle&) {
         return std::make_unique<process::ProcessCollector>(o.procfs);
       }},
  };
}

std::vector<CollectorInfo> CatalogInfos() {
  std::vector<CollectorInfo> infos;
  for (const auto& e : Catalog()) infos.push_back(e.info);
  return infos;
}

}  // namespace mailpath::app
