import consul
