#include "mailpath/app/catalog.h"

#include <chrono>

#include "mailpath/process/process_collector.h"
#include "mailpath/showq/showq_collector.h"

namespace mailpath::app {

std::vector<CatalogEntry> Catalog() {
  return {
      {{"process", "The exporter's own CPU, memory and file descriptors (process_*).", true},
       [](const Options& o, Logger&, Lifecycle&) {
         return std::make_unique<process::ProcessCollector>(o.procfs);
       }},
      {{"showq", "Postfix queues from the showq service: depth, bytes, recipients, ages, "
                 "defer reasons (postfix_up, postfix_showq_*).",
        true},
       [](const Options& o, Logger&, Lifecycle&) {
         using namespace std::chrono;
         return std::make_unique<showq::ShowqCollector>(
             showq::MakeSocketTransport(o.showq_path, seconds(60)),
             showq::ShowqCollectorOptions{
                 static_cast<std::size_t>(o.showq_deferred_domains_cap)},
             [] {
               return duration<double>(system_clock::now().time_since_epoch()).count();
             });
       }},
  };
}

std::vector<CollectorInfo> CatalogInfos() {
  std::vector<CollectorInfo> infos;
  for (const auto& e : Catalog()) infos.push_back(e.info);
  return infos;
}

}  // namespace mailpath::app
